package org.bwledger.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class FatalFailureTest {

  private static final Path STATE = Path.of("/var/lib/bwledger/ledger");

  @Test
  void aDamagedRecordBatchNamesWhereAndHowToGetPastIt() {
    FatalFailure fatal = FatalFailure.of(new KafkaException("Received exception when fetching the next record",
        new CorruptRecordException("Record batch for partition bw.cluster-events-0 at offset 120 is invalid")), STATE);

    assertThat(fatal.toString()).contains("damaged record batch", "bw.cluster-events-0 at offset 120",
        "To do:", "--reset-offsets", "bwctl audit");
    assertThat(fatal.expected()).isTrue();
    assertThat(fatal.localState()).isFalse();
  }

  @Test
  void aBatchFailingItsChecksumIsADamagedBatchThoughKafkaSaysItInAPlainException() {
    FatalFailure fatal = FatalFailure.of(new KafkaException("Received exception when fetching the next record",
        new KafkaException("Record batch for partition bw.cluster-events-0 at offset 269 is invalid, cause: Record "
            + "is corrupt (stored crc = 2652279879, computed crc = 568495623)")), STATE);

    assertThat(fatal.toString()).contains("damaged record batch", "at offset 269", "--reset-offsets");
  }

  @Test
  void aStoreThatCannotBeReadIsLocalStateToDeleteAndRebuild() {
    FatalFailure fatal = FatalFailure.of(new StreamsException(
        new ProcessorStateException("Error opening store node-history", new RuntimeException("Corruption: bad block"))),
        STATE);

    assertThat(fatal.localState()).isTrue();
    assertThat(fatal.toString()).contains(STATE.toString(), "Error opening store node-history",
        "rebuilt from the changelog topics");
  }

  @Test
  void aRefusedPrincipalAndAFencedProducerAreNamed() {
    assertThat(FatalFailure.of(new TopicAuthorizationException("Not authorized to access topics: [bw.node-bandwidth]"),
        STATE).toString()).contains("refused this principal", "docs/security.md");
    assertThat(FatalFailure.of(new KafkaException(new ProducerFencedException("epoch 3")), STATE).toString())
        .contains("took over", "instance id");
  }

  @Test
  void anythingElseKeepsItsStackTraceAndSaysRestart() {
    FatalFailure fatal = FatalFailure.of(new IllegalStateException("a bug"), STATE);

    assertThat(fatal.expected()).isFalse();
    assertThat(fatal.toString()).contains("a bug", "restart");
  }
}
