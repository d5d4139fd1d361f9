package org.bwledger.bwctl.options;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads an ISO-8601 date-time with an offset ({@code 2026-11-23T10:15:30Z}, {@code …+01:00}) as an instant. */
public final class InstantConverter implements ITypeConverter<Instant> {

  @Override
  public Instant convert(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + value + "' is not an ISO-8601 date-time with an offset, "
          + "e.g. 2026-11-23T10:15:30Z");
    }
  }
}
