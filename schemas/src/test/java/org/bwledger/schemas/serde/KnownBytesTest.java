package org.bwledger.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;
import org.junit.jupiter.api.Test;

/** Encoding with the bytes of nested records known: the same bytes, fewer encodes. */
class KnownBytesTest {

  private final AvroSerde<NodeBandwidth> nodes = AvroSerde.of(NodeBandwidth.class);
  private final AvroSerde<Reservation> reservations = AvroSerde.of(Reservation.class);

  @Test
  void givesTheBytesOfAPlainEncodeWhetherEveryOneOrNoneIsKnown() {
    for (SpecificRecord sample : GoldenSamples.all().get("NodeBandwidth").values()) {
      NodeBandwidth state = (NodeBandwidth) sample;

      assertThat(nodes.encode(state, nested -> nested instanceof Reservation r ? reservations.encode(r) : null))
          .isEqualTo(nodes.encode(state));
      assertThat(nodes.encode(state, nested -> null)).isEqualTo(nodes.encode(state));
    }
  }

  @Test
  void writesTheKnownBytesInPlaceOfTheRecord() {
    NodeBandwidth state = (NodeBandwidth) GoldenSamples.all().get("NodeBandwidth").get("oversubscribed");
    Reservation first = state.getReservations().get(0);
    Reservation other = state.getReservations().get(1);

    byte[] bytes = nodes.encode(state, nested -> nested == first ? reservations.encode(other) : null);

    List<Reservation> expected = new ArrayList<>(state.getReservations());
    expected.set(0, other);
    assertThat(nodes.decode(bytes).getReservations()).isEqualTo(expected);
  }

  @Test
  void leavesBytesOfAnotherSchemaVersionOrTooShortUnused() {
    NodeBandwidth state = (NodeBandwidth) GoldenSamples.all().get("NodeBandwidth").get("oversubscribed");
    Reservation first = state.getReservations().get(0);
    byte[] otherVersion = reservations.encode(state.getReservations().get(1));
    otherVersion[9] ^= 0x01; // the last byte of the writer's fingerprint

    assertThat(nodes.encode(state, nested -> nested == first ? otherVersion : null)).isEqualTo(nodes.encode(state));
    assertThat(nodes.encode(state, nested -> nested == first ? new byte[3] : null)).isEqualTo(nodes.encode(state));
  }
}
