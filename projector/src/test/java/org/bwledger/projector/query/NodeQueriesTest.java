package org.bwledger.projector.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryResult;
import org.junit.jupiter.api.Test;

class NodeQueriesTest {

  @Test
  void anAnswerFromNoPartitionIsNotReadyRatherThanNoState() {
    assertThatThrownBy(() -> NodeQueries.results("node-history", new StateQueryResult<String>()))
        .isInstanceOf(NodeQueries.NotReadyException.class)
        .hasMessageContaining("node-history").hasMessageContaining("no partition here yet");
  }

  @Test
  void aPartitionThatFailedIsNotReady() {
    StateQueryResult<String> answer = new StateQueryResult<>();
    answer.addResult(0, QueryResult.forResult("state"));
    answer.addResult(1, QueryResult.forFailure(FailureReason.NOT_ACTIVE, "standby"));

    assertThatThrownBy(() -> NodeQueries.results("node-history", answer))
        .isInstanceOf(NodeQueries.NotReadyException.class).hasMessageContaining("NOT_ACTIVE");
  }

  @Test
  void everyPartitionsResultIsGivenNoneIncluded() {
    StateQueryResult<String> answer = new StateQueryResult<>();
    answer.addResult(0, QueryResult.forResult("state"));
    answer.addResult(1, QueryResult.forResult(null)); // no version of the key in that partition

    assertThat(NodeQueries.results("node-history", answer)).containsExactlyInAnyOrder("state", null);
  }
}
