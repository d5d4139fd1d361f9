package org.bwledger.lab.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bwledger.schemas.event.TrafficSampled;
import org.junit.jupiter.api.Test;

/** The simulated nodes' traffic: drawn from the seed, a rate of each node's own. */
class SimulatedTrafficTest {

  private static final List<String> NODES = List.of("n0", "n1", "n2", "n3", "n4", "n5");
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void theSameSeedGivesTheSameCountersAndAnotherSeedOthers() {
    assertThat(samples(1)).isEqualTo(samples(1)).isNotEqualTo(samples(2));
  }

  @Test
  void eachNodeCarriesARateOfItsOwnBetweenATenthAndNineTenthsOfItsLink() {
    List<List<TrafficSampled>> rounds = samples(1);
    double[] mbps = new double[NODES.size()];
    for (int n = 0; n < NODES.size(); n++) {
      long bytes = rounds.get(rounds.size() - 1).get(n).getInterfaces().get(0).getTransmitBytes()
          - rounds.get(0).get(n).getInterfaces().get(0).getTransmitBytes();
      mbps[n] = bytes * 8 / 1e6 / (10.0 * (rounds.size() - 1));
      assertThat(mbps[n]).as(NODES.get(n)).isBetween(0.1 * 0.9 * 1000, 0.9 * 1.1 * 1000);
      assertThat(rounds.get(0).get(n).getNode()).isEqualTo(NODES.get(n));
    }
    assertThat(Arrays.stream(mbps).max().getAsDouble())
        .as("nodes differ").isGreaterThan(1.5 * Arrays.stream(mbps).min().getAsDouble());
  }

  private static List<List<TrafficSampled>> samples(long seed) {
    SimulatedTraffic traffic = new SimulatedTraffic(NODES, seed, Duration.ofSeconds(10));
    List<List<TrafficSampled>> rounds = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      rounds.add(traffic.next(T.plusSeconds(10L * round)));
    }
    return rounds;
  }
}
