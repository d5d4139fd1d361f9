package org.bwledger.bwctl.replay;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --capacity NODE:DIMENSION=MBPS}. */
public final class CapacityOverrideConverter implements ITypeConverter<CapacityOverride> {

  @Override
  public CapacityOverride convert(String value) {
    try {
      return CapacityOverride.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
