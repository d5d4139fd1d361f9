package org.bwledger.ledger.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.bwledger.schemas.annotation.AnnotationKey;
import org.bwledger.schemas.annotation.AnnotationKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnnotationParserTest {

  private final AnnotationParser parser = new AnnotationParser(AnnotationKeys.DEFAULT);

  @ParameterizedTest(name = "egress \"{0}\" counts {1} Mbit/s")
  @CsvSource(delimiter = '|', value = {
      "100M  | 100",
      "100Mi | 105",         // 104,857,600 bit/s, rounded up
      "1k    | 1",           // the smallest a runtime accepts
      "1P    | 1000000000",  // the largest
      "1e6   | 1",
      ".5M   | 1",           // 500,000 bit/s rounds up to 1 Mbit/s
      "1500k | 2",
      "+5M   | 5",
      "999.5 | 1",           // runtimes round up to whole bit/s: 1000
  })
  void validQuantitiesCountMbitPerSecondRoundedUp(String value, long mbps) {
    BandwidthRequest request = parser.parse(Map.of("kubernetes.io/egress-bandwidth", value));

    assertThat(request).isEqualTo(BandwidthRequest.valid(mbps, 0));
  }

  @ParameterizedTest(name = "egress \"{0}\" is invalid: {1}")
  @CsvSource(delimiter = '|', value = {
      "999     | is 999 bit/s, outside [1k, 1P]",
      "1Pi     | is 1125899906842624 bit/s, outside [1k, 1P]",
      "10m     | is 1 bit/s, outside [1k, 1P]",
      "-1M     | is -1000000 bit/s, outside [1k, 1P]",
      "10Mbps  | is not a Kubernetes quantity",
      "' 100M' | is not a Kubernetes quantity",
      "'100M ' | is not a Kubernetes quantity",
      "''      | is not a Kubernetes quantity",
      "abc     | is not a Kubernetes quantity",
  })
  void quantitiesARuntimeWouldRefuseAreInvalidWithTheirReason(String value, String why) {
    BandwidthRequest request = parser.parse(Map.of("kubernetes.io/egress-bandwidth", value));

    assertThat(request.isValid()).isFalse();
    assertThat(request.invalidReason()).isEqualTo("kubernetes.io/egress-bandwidth: \"" + value + "\" " + why);
    assertThat(request.ulMbps()).isZero();
    assertThat(request.dlMbps()).isZero();
  }

  @ParameterizedTest(name = "KubeOVN \"{0}\" counts {1} Mbit/s")
  @CsvSource(delimiter = '|', value = {"20 | 20", "0 | 0", "2.5 | 3", "1000000000 | 1000000000"})
  void kubeOvnRatesArePlainMbitPerSecond(String value, long mbps) {
    BandwidthRequest request = parser.parse(Map.of("ovn.kubernetes.io/ingress_rate", value));

    assertThat(request).isEqualTo(BandwidthRequest.valid(0, mbps));
  }

  @ParameterizedTest(name = "KubeOVN \"{0}\" is invalid")
  @CsvSource(delimiter = '|', value = {
      "abc | is not a non-negative number of Mbit/s",
      "-5  | is not a non-negative number of Mbit/s",
      "20M | is not a non-negative number of Mbit/s",
      "''  | is not a non-negative number of Mbit/s",
      "1000000001 | is above 1P bit/s",
  })
  void kubeOvnValuesThatAreNotNonNegativeNumbersAreInvalid(String value, String why) {
    BandwidthRequest request = parser.parse(Map.of("ovn.kubernetes.io/egress_rate", value));

    assertThat(request).isEqualTo(BandwidthRequest.invalid("ovn.kubernetes.io/egress_rate: \"" + value + "\" " + why));
  }

  @Test
  void parsingMoreDistinctAnnotationsThanItRemembersStillGivesEachItsOwnRequest() {
    for (int round = 0; round < 2; round++) {
      for (int mbps = 1; mbps <= 10_000; mbps++) {
        assertThat(parser.parse(Map.of("ovn.kubernetes.io/egress_rate", Integer.toString(mbps))))
            .isEqualTo(BandwidthRequest.valid(mbps, 0));
      }
    }
  }

  @Test
  void itRemembersWhatItParsedUpToItsBoundAndNoMore() {
    for (int mbps = 1; mbps <= AnnotationParser.REMEMBERED; mbps++) {
      parser.parse(Map.of("ovn.kubernetes.io/egress_rate", Integer.toString(mbps)));
    }
    assertThat(parser.remembered()).isEqualTo(AnnotationParser.REMEMBERED);

    parser.parse(Map.of("ovn.kubernetes.io/egress_rate", "0"));
    assertThat(parser.remembered()).isBetween(1, AnnotationParser.REMEMBERED);
  }

  @Test
  void theFirstConfiguredKeyWinsEvenWhenItIsInvalid() {
    BandwidthRequest request = parser.parse(Map.of(
        "kubernetes.io/egress-bandwidth", "lots",
        "ovn.kubernetes.io/egress_rate", "20",
        "ovn.kubernetes.io/ingress_rate", "30"));

    assertThat(request.isValid()).isFalse();
    assertThat(request.invalidReason()).startsWith("kubernetes.io/egress-bandwidth:");
  }

  @Test
  void kubernetesKeysWinOverKubeOvnKeysPerDirection() {
    BandwidthRequest request = parser.parse(Map.of(
        "kubernetes.io/egress-bandwidth", "100M",
        "ovn.kubernetes.io/egress_rate", "20",
        "ovn.kubernetes.io/ingress_rate", "30"));

    assertThat(request).isEqualTo(BandwidthRequest.valid(100, 30));
  }

  @Test
  void anInvalidDirectionMakesTheWholeRequestCountZeroAndBothReasonsAreKept() {
    BandwidthRequest request = parser.parse(Map.of(
        "kubernetes.io/egress-bandwidth", "100M",
        "kubernetes.io/ingress-bandwidth", "x"));
    BandwidthRequest both = parser.parse(Map.of(
        "kubernetes.io/egress-bandwidth", "y",
        "kubernetes.io/ingress-bandwidth", "x"));

    assertThat(request).isEqualTo(BandwidthRequest.invalid("kubernetes.io/ingress-bandwidth: \"x\" is not a Kubernetes quantity"));
    assertThat(both.invalidReason()).contains("egress-bandwidth: \"y\"").contains("ingress-bandwidth: \"x\"");
  }

  @Test
  void aMissingDirectionCountsZeroAndNoAnnotationIsNoRequest() {
    assertThat(parser.parse(Map.of("kubernetes.io/ingress-bandwidth", "10M"))).isEqualTo(BandwidthRequest.valid(0, 10));
    assertThat(parser.parse(Map.of("unrelated", "1"))).isEqualTo(BandwidthRequest.NONE);
  }

  @Test
  void reasonsStayShortAndPrintableWhateverTheValue() {
    String huge = "9".repeat(10_000) + "\n";

    String reason = parser.parse(Map.of("kubernetes.io/egress-bandwidth", huge)).invalidReason();

    assertThat(reason).hasSizeLessThan(200).doesNotContain("\n");
  }

  @ParameterizedTest(name = "a value of {0} characters is quoted as {1} and an ellipsis: {2}")
  @CsvSource({"64, 64, false", "65, 64, true"})
  void aReasonQuotesTheFirst64CharactersOfTheValue(int length, int quoted, boolean cut) {
    String value = "x".repeat(length);

    String reason = parser.parse(Map.of("kubernetes.io/egress-bandwidth", value)).invalidReason();

    assertThat(reason).isEqualTo("kubernetes.io/egress-bandwidth: \"" + "x".repeat(quoted) + (cut ? "…" : "")
        + "\" is not a Kubernetes quantity");
  }

  @Test
  void configuredKeysReplaceTheDefaults() {
    AnnotationParser custom = new AnnotationParser(new AnnotationKeys(
        java.util.List.of(AnnotationKey.parse("example.org/up=mbps")),
        java.util.List.of(AnnotationKey.parse("example.org/down"))));

    assertThat(custom.parse(Map.of("example.org/up", "7", "example.org/down", "3M", "kubernetes.io/egress-bandwidth", "1G")))
        .isEqualTo(BandwidthRequest.valid(7, 3));
  }
}
