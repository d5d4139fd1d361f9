package org.bwledger.ledger.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.bwledger.ledger.fold.FoldNotices;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.ClusterHistory;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.schemas.serde.AvroSerde;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;
import org.bwledger.testkit.bench.Figure;
import org.bwledger.testkit.bench.Figures;

/**
 * What encoding and decoding a node's state costs, the record the ledger writes at every publish:
 * bwledger's serde beside Avro's own single-object message encoder and decoder, and encoding with
 * the reservations' bytes known (as the ledger publishes) beside encoding them too; on the node
 * states the fold gives for FoldBenchmark's history (2,000 nodes, about 25 reservations each), in
 * alternating rounds. Run on demand:
 *
 * <pre>
 * mvn -q -pl ledger exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.bwledger.ledger.bench.SerdeBenchmark [-Dexec.args="ROUNDS"]
 * </pre>
 */
public final class SerdeBenchmark {

  /** Encodings (or decodings) of every node state per measured pass. */
  private static final int PASSES = 20;

  private SerdeBenchmark() {}

  public static void main(String[] args) throws Exception {
    Figures.report(run(args.length > 0 ? Integer.parseInt(args[0]) : 8));
  }

  /** Encode and decode rates, each beside Avro's; the best of {@code rounds} alternating rounds. */
  public static List<Figure> run(int rounds) {
    LocalFold fold = new LocalFold(LedgerRules.DEFAULT, 2, FoldNotices.LOGGED);
    new ClusterHistory(2_000, 50_000, 4_000, 200_000).generate(7, new EventFactory(), fold::apply);
    List<NodeBandwidth> states = new ArrayList<>(fold.published().values());
    AvroSerde<NodeBandwidth> serde = AvroSerde.of(NodeBandwidth.class);
    List<byte[]> encoded = states.stream().map(serde::encode).toList();
    System.out.printf("%,d node states, %,d bytes each on average%n", states.size(),
        encoded.stream().mapToInt(bytes -> bytes.length).sum() / states.size());

    SpecificData model = SpecificData.getForClass(NodeBandwidth.class);
    Schema schema = NodeBandwidth.getClassSchema();
    BinaryMessageEncoder<NodeBandwidth> avroEncoder = new BinaryMessageEncoder<>(model, schema);
    BinaryMessageDecoder<NodeBandwidth> avroDecoder = new BinaryMessageDecoder<>(model, schema);

    // What the ledger's node books hold: each reservation's bytes beside it, found by the reservation.
    AvroSerde<Reservation> reservations = AvroSerde.of(Reservation.class);
    Map<Object, byte[]> known = new IdentityHashMap<>();
    states.forEach(state -> state.getReservations().forEach(r -> known.put(r, reservations.encode(r))));

    double encode = 0, avroEncode = 0, knownEncode = 0, decode = 0, avroDecode = 0;
    for (int round = 1; round <= rounds; round++) {
      double avroEncodes = rate(states, state -> avroEncode(avroEncoder, state));
      double encodes = rate(states, state -> serde.encode(state).length);
      double knownEncodes = rate(states, state -> serde.encode(state, known::get).length);
      double avroDecodes = rate(encoded, bytes -> avroDecode(avroDecoder, bytes));
      double decodes = rate(encoded, bytes -> serde.decode(bytes).getReservations().size());
      System.out.printf("round %d: encode %,.0f/s (Avro's %,.0f/s, reservations known %,.0f/s), "
          + "decode %,.0f/s (Avro's %,.0f/s)%n", round, encodes, avroEncodes, knownEncodes, decodes, avroDecodes);
      encode = Math.max(encode, encodes);
      knownEncode = Math.max(knownEncode, knownEncodes);
      avroEncode = Math.max(avroEncode, avroEncodes);
      decode = Math.max(decode, decodes);
      avroDecode = Math.max(avroDecode, avroDecodes);
    }
    return List.of(
        Figure.of("serde", "encode a node's state", encode, "records/s").beside("Avro's message encoder", avroEncode),
        Figure.of("serde", "encode a node's state, its reservations' bytes known", knownEncode, "records/s")
            .beside("encoding them too", encode),
        Figure.of("serde", "decode a node's state", decode, "records/s").beside("Avro's message decoder", avroDecode));
  }

  /** Records per second through {@code work}, over {@link #PASSES} passes of {@code items}. */
  private static <T> double rate(List<T> items, ToIntFunction<T> work) {
    long sink = 0;
    long start = System.nanoTime();
    for (int pass = 0; pass < PASSES; pass++) {
      for (T item : items) {
        sink += work.applyAsInt(item);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (sink == 0) {
      throw new IllegalStateException("nothing was encoded or decoded");
    }
    return PASSES * items.size() / seconds;
  }

  private static int avroEncode(BinaryMessageEncoder<NodeBandwidth> encoder, NodeBandwidth state) {
    try {
      ByteBuffer buffer = encoder.encode(state);
      byte[] bytes = new byte[buffer.remaining()]; // as the serde did: Kafka takes a byte array
      buffer.get(bytes);
      return bytes.length;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int avroDecode(BinaryMessageDecoder<NodeBandwidth> decoder, byte[] bytes) {
    try {
      return decoder.decode(bytes).getReservations().size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
