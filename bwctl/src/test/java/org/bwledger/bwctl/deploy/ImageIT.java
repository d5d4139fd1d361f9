package org.bwledger.bwctl.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The image Jib built in the package phase, read back from its tar: how it starts, as whom, on which
 * ports, that its layers hold the application, and that they hold nothing of the laboratory or the
 * tests. Built on an empty base here, as no registry answers.
 */
class ImageIT {

  private static final Path IMAGE = Path.of("target/bwledger-image.tar");

  /**
   * Jars the server image must not hold: test kits, and what {@code bwctl run} brings along (a
   * Kafka broker, a mock API server and their network stacks). Image scanners flag them.
   */
  private static final Pattern LABORATORY_OR_TEST = Pattern.compile("^(junit-|opentest4j|apiguardian|assertj-"
      + "|awaitility|testcontainers|archunit|helm-java|kafka-test-common|kafka_2\\.13|kafka-server-|kafka-raft"
      + "|kafka-metadata|kafka-storage|kafka-.*coordinator|scala-|kubernetes-server-mock|mockwebserver|okhttp|netty-"
      + "|log4j-core)");

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void theImageStartsBwctlAsANonRootUserWithTheServicePortsAndHoldsTheApplication() throws IOException {
    Map<String, byte[]> image = entries(Files.newInputStream(IMAGE));
    JsonNode manifest = json.readTree(image.get("manifest.json")).get(0);
    JsonNode config = json.readTree(image.get(manifest.path("Config").asText())).path("config");

    assertThat(config.path("Entrypoint")).extracting(JsonNode::asText)
        .startsWith("java").contains("-XX:MaxRAMPercentage=60").endsWith("org.bwledger.bwctl.Bwctl");
    assertThat(config.path("User").asText()).isEqualTo("65532:65532");
    assertThat(config.path("ExposedPorts").fieldNames()).toIterable().containsExactlyInAnyOrder("8080/tcp", "8081/tcp", "8082/tcp");
    assertThat(config.path("WorkingDir").asText()).isEqualTo("/var/lib/bwledger");

    List<String> files = new ArrayList<>();
    for (JsonNode layer : manifest.path("Layers")) {
      files.addAll(entries(new GZIPInputStream(new ByteArrayInputStream(image.get(layer.asText())))).keySet());
    }
    assertThat(files).contains("app/classes/org/bwledger/bwctl/Bwctl.class", "app/jib-classpath-file")
        .anyMatch(file -> file.matches("app/libs/bwledger-projector-.*\\.jar"))
        .anyMatch(file -> file.matches("app/libs/kafka-streams-.*\\.jar"))
        .noneMatch(file -> file.startsWith("app/classes/org/bwledger/lab/"));

    List<String> jars = files.stream().filter(file -> file.startsWith("app/libs/"))
        .map(file -> file.substring("app/libs/".length())).sorted().toList();
    System.out.printf("The image, %,.1f MB, holds %d jars:%n  %s%n", Files.size(IMAGE) / 1e6, jars.size(),
        String.join("\n  ", jars));
    assertThat(jars).as("jars of the laboratory or the tests").noneMatch(jar -> LABORATORY_OR_TEST.matcher(jar).find());
  }

  /** The files of a tar stream, by name (ustar: 512-byte headers, octal sizes, name prefixes). */
  private static Map<String, byte[]> entries(InputStream tar) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (tar) {
      while (true) {
        byte[] header = tar.readNBytes(512);
        if (header.length < 512 || header[0] == 0) {
          return files;
        }
        String name = field(header, 0, 100);
        String prefix = field(header, 345, 155);
        long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
        byte[] content = tar.readNBytes((int) size);
        tar.skipNBytes((512 - size % 512) % 512);
        String path = (prefix.isEmpty() ? name : prefix + "/" + name).replaceFirst("^\\./", "").replaceFirst("^/", "");
        if (header[156] == '0' || header[156] == 0) {
          files.put(path, content);
        }
      }
    }
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
  }
}
