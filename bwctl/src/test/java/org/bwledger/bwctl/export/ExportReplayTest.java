package org.bwledger.bwctl.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bwledger.bwctl.testing.BwctlRun.bwctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bwledger.bwctl.testing.BwctlRun;
import org.bwledger.kube.crd.BandwidthObjects;
import org.bwledger.ledger.fold.FoldNotices;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.ClusterHistory;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A history written to Kafka, exported to a file and replayed anywhere gives what the fold gives. */
@WithKafka
class ExportReplayTest {

  private static final int PARTITIONS = 3;

  @TempDir
  Path dir;

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void anExportedLogReplaysToTheSameNodesAndAtAnEarlierTimeToTheEarlierState(TestKafka kafka) throws Exception {
    List<ClusterEvent> history = new ArrayList<>();
    new ClusterHistory(8, 120, 12, 3_000).generate(11, new EventFactory(Instant.now().minus(Duration.ofHours(2))),
        history::add);
    Instant midway = history.get(history.size() / 2).getObservedAt();
    Topics topics = Topics.withPrefix("exp.");
    kafka.createTopics(topics, PARTITIONS);
    kafka.produce(topics, history);
    Path file = dir.resolve("events.avro");

    BwctlRun export = bwctl("export", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", "exp.",
        "-o", file.toString());

    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(export.err()).contains("exported");
    assertThat(EventFile.isEventFile(file)).isTrue();

    BwctlRun replay = bwctl("replay", "-o", "json", file.toString());
    assertThat(replay.exitCode()).as(replay.err()).isZero();
    assertThat(json.readTree(replay.out())).isEqualTo(folded(history, null));

    BwctlRun earlier = bwctl("replay", "-o", "json", "--at", midway.toString(), file.toString());
    assertThat(json.readTree(earlier.out())).isEqualTo(folded(history, midway))
        .isNotEqualTo(json.readTree(replay.out()));
  }

  @Test
  void eachObjectKeepsItsOrderInTheFileEvenWhenItsEventsWereDatedBackwards(TestKafka kafka) throws Exception {
    EventFactory events = new EventFactory(Instant.now().minus(Duration.ofHours(1)));
    ClusterEvent node = events.nodeObserved("n1");
    ClusterEvent first = events.pod("p1").on("n1").egress("10M").observed();
    ClusterEvent second = events.pod("p1").on("n1").egress("20M").observed();
    // A clock that went back (ingest restarted on another host): the later change carries the earlier time.
    List<ClusterEvent> log = List.of(node, first, dated(second, first.getObservedAt().minusSeconds(30)));
    Topics topics = Topics.withPrefix("back.");
    kafka.createTopics(topics, PARTITIONS);
    kafka.produce(topics, log);
    Path file = dir.resolve("events.avro");

    assertThat(bwctl("export", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", "back.",
        "-o", file.toString()).exitCode()).isZero();

    assertThat(bwctl("replay", file.toString()).out()).containsPattern("n1\\s+1000/1000\\s+20/0");
  }

  private static ClusterEvent dated(ClusterEvent event, Instant at) {
    return new ClusterEvent(event.getEventId(), at, event.getResourceVersion(), event.getPayload());
  }

  /**
   * What the ledger's fold of the log's partitions holds after the events observed up to {@code at},
   * as replay prints it.
   */
  private JsonNode folded(List<ClusterEvent> history, Instant at) throws Exception {
    LocalFold fold = new LocalFold(LedgerRules.DEFAULT, PARTITIONS, FoldNotices.LOGGED);
    history.stream().filter(e -> at == null || !e.getObservedAt().isAfter(at)).forEach(fold::apply);
    return json.readTree(json.writeValueAsString(new BandwidthObjects(json).list(fold.published().values())));
  }
}
