package org.bwledger.schemas.serde;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes the golden bytes of the current schema versions: run once when releasing a schema
 * version, then commit the files. Never rewrites files of an earlier version.
 *
 * <pre>
 * mvn -pl schemas test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.bwledger.schemas.serde.GoldenBytesWriter -Dexec.args=schemas/src/test/resources/golden
 * </pre>
 */
public final class GoldenBytesWriter {

  private GoldenBytesWriter() {}

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources/golden");
    for (var byRecord : GoldenSamples.all().entrySet()) {
      int version = SchemaHistory.released(byRecord.getKey()).size();
      Path dir = root.resolve(byRecord.getKey()).resolve("v" + version);
      Files.createDirectories(dir);
      for (Map.Entry<String, SpecificRecord> sample : byRecord.getValue().entrySet()) {
        write(dir, sample.getKey(), sample.getValue());
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void write(Path dir, String name, SpecificRecord record) throws IOException {
    Path bin = dir.resolve(name + ".bin");
    if (Files.exists(bin)) {
      return;
    }
    AvroSerde serde = AvroSerde.of(record.getClass());
    byte[] bytes = serde.encode(record);
    Files.write(bin, bytes);
    Files.writeString(dir.resolve(name + ".json"), serde.decode(bytes) + "\n", StandardCharsets.UTF_8);
    System.out.println("wrote " + bin);
  }
}
