package org.bwledger.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.state.NodeBandwidth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bytes written by every released schema version decode with today's classes to the recorded
 * values. The {@code .json} beside each {@code .bin} is the decoded record as today's classes print
 * it: when a new version adds a field with a default, that file gains the field, nothing else.
 */
class GoldenBytesTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  static Stream<Path> goldenFiles() throws IOException {
    try (Stream<Path> files = Files.walk(GOLDEN)) {
      return files.filter(p -> p.toString().endsWith(".bin")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("goldenFiles")
  void goldenBytesDecodeToTheRecordedValue(Path bin) throws IOException {
    String recordName = GOLDEN.relativize(bin).getName(0).toString();
    Class<? extends SpecificRecord> type = SerdeRecords.ALL.stream()
        .filter(c -> c.getSimpleName().equals(recordName)).findFirst().orElseThrow();
    String expected = Files.readString(Path.of(bin.toString().replace(".bin", ".json")), StandardCharsets.UTF_8);

    SpecificRecord decoded = AvroSerde.of(type).decode(Files.readAllBytes(bin));

    assertThat(decoded + "\n").isEqualTo(expected);
  }

  @Test
  void everyReleasedVersionHasGoldenBytes() {
    for (Class<? extends SpecificRecord> type : SerdeRecords.ALL) {
      String name = type.getSimpleName();
      int versions = SchemaHistory.released(name).size();
      for (int v = 1; v <= versions; v++) {
        Path dir = GOLDEN.resolve(name).resolve("v" + v);
        assertThat(dir).as("golden bytes of %s v%d (run GoldenBytesWriter)", name, v).isDirectory();
        assertThat(dir.toFile().list((d, f) -> f.endsWith(".bin"))).isNotEmpty();
      }
    }
  }

  @Test
  void everySampleRoundTrips() {
    GoldenSamples.all().values().forEach(samples -> samples.values().forEach(this::roundTrips));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void roundTrips(SpecificRecord record) {
    AvroSerde serde = AvroSerde.of(record.getClass());
    assertThat(serde.decode(serde.encode(record))).isEqualTo(record);
  }

  @Test
  void everySampleEncodesToTheBytesOfAvrosOwnMessageEncoder() {
    GoldenSamples.all().values().forEach(samples -> samples.values().forEach(this::encodesAsAvroDoes));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void encodesAsAvroDoes(SpecificRecord record) {
    AvroSerde serde = AvroSerde.of(record.getClass());
    SpecificData model = SpecificData.getForClass(record.getClass());
    try {
      ByteBuffer avros = new BinaryMessageEncoder<>(model, record.getSchema()).encode(record);
      byte[] expected = new byte[avros.remaining()];
      avros.get(expected);
      assertThat(serde.encode(record)).as("%s", record).isEqualTo(expected);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void bytesOfAnotherTypeOrGarbageAreRejectedNamingTheType() {
    AvroSerde<NodeBandwidth> serde = AvroSerde.of(NodeBandwidth.class);
    byte[] event = AvroSerde.of(ClusterEvent.class)
        .encode((ClusterEvent) GoldenSamples.all().get("ClusterEvent").get("node-gone"));

    assertThatThrownBy(() -> serde.decode(event))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("NodeBandwidth");
    assertThatThrownBy(() -> serde.decode("garbage".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("NodeBandwidth");
    byte[] whole = serde.encode((NodeBandwidth) GoldenSamples.all().get("NodeBandwidth").values().iterator().next());
    assertThatThrownBy(() -> serde.decode(Arrays.copyOf(whole, whole.length / 2)))
        .as("cut short after its header")
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("NodeBandwidth");
  }
}
