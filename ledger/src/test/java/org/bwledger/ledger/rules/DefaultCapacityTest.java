package org.bwledger.ledger.rules;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DefaultCapacityTest {

  @ParameterizedTest(name = "{0}/{1} local, {2}/{3} network")
  @CsvSource({"-1, 0, 0, 0", "0, -1, 0, 0", "0, 0, -1, 0", "0, 0, 0, -1"})
  void aNegativeDefaultIsRefusedAndZeroIsNot(long localUl, long localDl, long networkUl, long networkDl) {
    assertThatThrownBy(() -> new DefaultCapacity(localUl, localDl, networkUl, networkDl))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("capacities must not be negative");
    assertThatCode(() -> new DefaultCapacity(Math.max(0, localUl), Math.max(0, localDl), Math.max(0, networkUl),
        Math.max(0, networkDl))).doesNotThrowAnyException();
  }
}
