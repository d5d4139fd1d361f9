package org.bwledger.bwctl.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bwledger.bwctl.testing.BwctlRun.bwctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.bwledger.bwctl.testing.BwctlRun;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.schemas.state.NodeBandwidth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bwctl certify}: the books over a window of the sample trace, and checking a certificate. */
class CertifyTest {

  private static final Path SAMPLE = Path.of("../examples/lab-trace.json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant FROM = Instant.parse("2026-11-20T09:01:30Z");
  private static final Instant TO = Instant.parse("2026-11-20T09:02:40Z");

  @TempDir
  Path dir;

  @Test
  void aWindowOverASpellCertifiesItAndEveryFigureIsTheExtremeOfTheStatesReplayGivesInIt() throws Exception {
    BwctlRun run = bwctl("certify", SAMPLE.toString(), "--from", FROM.toString(), "--to", TO.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode certificate = JSON.readTree(run.out());
    assertThat(certificate.at("/window/from").asText()).isEqualTo(FROM.toString());
    assertThat(certificate.at("/input/sha256").asText()).hasSize(64);
    assertThat(certificate.path("oversubscription")).singleElement().satisfies(spell -> {
      assertThat(spell.path("node").asText()).isEqualTo("worker-2");
      assertThat(spell.path("from").asText()).isEqualTo("2026-11-20T09:01:59Z");
      assertThat(spell.path("to").asText()).isEqualTo("2026-11-20T09:02:34Z");
      assertThat(spell.path("dimensions").get(0).asText()).isEqualTo("network-ul");
    });

    // Independently: replay the trace up to every second of the window (its events fall on whole
    // seconds, so every state the window saw is among these) and take the extremes.
    Map<String, long[]> maxUsed = new HashMap<>();
    Map<String, long[]> minRemaining = new HashMap<>();
    for (Instant at = FROM; !at.isAfter(TO); at = at.plusSeconds(1)) {
      SortedMap<String, NodeBandwidth> nodes;
      try (BufferedReader trace = Files.newBufferedReader(SAMPLE)) {
        nodes = new Replay(LedgerRules.DEFAULT).run(trace, new Replay.Options(at, List.of(), false, false, 1, null)).nodes();
      }
      nodes.forEach((node, state) -> {
        long[] used = figures(state.getUsed().getNetworkUlMbps(), state.getUsed().getNetworkDlMbps(),
            state.getUsed().getLocalUlMbps(), state.getUsed().getLocalDlMbps());
        long[] left = figures(state.getRemaining().getNetworkUlMbps(), state.getRemaining().getNetworkDlMbps(),
            state.getRemaining().getLocalUlMbps(), state.getRemaining().getLocalDlMbps());
        maxUsed.merge(node, used, (a, b) -> extremes(a, b, true));
        minRemaining.merge(node, left, (a, b) -> extremes(a, b, false));
      });
    }
    assertThat(certificate.path("nodes")).hasSize(maxUsed.size());
    List<String> dimensions = List.of("network-ul", "network-dl", "local-ul", "local-dl");
    for (JsonNode node : certificate.path("nodes")) {
      String name = node.path("node").asText();
      for (int d = 0; d < dimensions.size(); d++) {
        assertThat(node.at("/maxUsedMbps/" + dimensions.get(d)).asLong()).as(name + " " + dimensions.get(d))
            .isEqualTo(maxUsed.get(name)[d]);
        assertThat(node.at("/minRemainingMbps/" + dimensions.get(d)).asLong()).as(name + " " + dimensions.get(d))
            .isEqualTo(minRemaining.get(name)[d]);
      }
      assertThat(node.path("oversubscribed").asBoolean()).isEqualTo(name.equals("worker-2"));
    }
  }

  @Test
  void aWindowBeforeTheSpellCertifiesThatNoNodeWasOversubscribed() throws Exception {
    JsonNode certificate = JSON.readTree(bwctl("certify", SAMPLE.toString(), "--from", "2026-11-20T09:00:00Z",
        "--to", "2026-11-20T09:01:30Z").out());

    assertThat(certificate.path("oversubscription")).isEmpty();
    assertThat(certificate.path("verdict").asText()).isEqualTo("no node was oversubscribed in the window");
    assertThat(certificate.path("nodes")).allSatisfy(node -> assertThat(node.path("oversubscribed").asBoolean())
        .isFalse());
  }

  @Test
  void theSameInputGivesTheSameBytesWhichVerify() throws Exception {
    Path certificate = dir.resolve("books.json");
    BwctlRun written = bwctl("certify", SAMPLE.toString(), "--from", FROM.toString(), "--to", TO.toString(),
        "-o", certificate.toString());
    BwctlRun again = bwctl("certify", SAMPLE.toString(), "--from", FROM.toString(), "--to", TO.toString());

    assertThat(written.exitCode()).isZero();
    assertThat(again.out()).isEqualTo(Files.readString(certificate));
    BwctlRun verified = bwctl("certify", "--verify", certificate.toString(), SAMPLE.toString());
    assertThat(verified.exitCode()).as(verified.err()).isZero();
    assertThat(verified.out()).startsWith("verified: books.json certifies lab-trace.json (sha256 ")
        .contains("from " + FROM + " to " + TO);
  }

  @Test
  void aChangedFigureOrAnotherTraceDoesNotVerify() throws Exception {
    Path certificate = dir.resolve("books.json");
    bwctl("certify", SAMPLE.toString(), "--from", FROM.toString(), "--to", TO.toString(), "-o", certificate.toString());
    String original = Files.readString(certificate);
    Path tampered = dir.resolve("tampered.json");
    Files.writeString(tampered, original.replaceFirst("\"oversubscribed\" : true", "\"oversubscribed\" : false"));
    assertThat(Files.readString(tampered)).isNotEqualTo(original);
    Path otherTrace = dir.resolve("lab-trace.json");
    Files.writeString(otherTrace, Files.readString(SAMPLE) + "\n");

    BwctlRun changed = bwctl("certify", "--verify", tampered.toString(), SAMPLE.toString());
    BwctlRun other = bwctl("certify", "--verify", certificate.toString(), otherTrace.toString());

    assertThat(changed.exitCode()).isEqualTo(1);
    assertThat(changed.err()).contains("does not verify: line", "\"oversubscribed\" : false", "\"oversubscribed\" : true");
    assertThat(other.exitCode()).isEqualTo(1);
    assertThat(other.err()).contains("is of another input");
  }

  @Test
  void aSignedCertificateVerifiesWithItsKeyAndNoOther() throws Exception {
    KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path privateKey = pem(dir.resolve("key.pem"), "PRIVATE KEY", key.getPrivate().getEncoded());
    Path publicKey = pem(dir.resolve("key.pub.pem"), "PUBLIC KEY", key.getPublic().getEncoded());
    Path otherKey = pem(dir.resolve("other.pub.pem"), "PUBLIC KEY", other.getPublic().getEncoded());
    Path certificate = dir.resolve("books.json");

    BwctlRun signed = bwctl("certify", SAMPLE.toString(), "--from", FROM.toString(), "--to", TO.toString(),
        "-o", certificate.toString(), "--sign", privateKey.toString());
    String signature = Files.readString(dir.resolve("books.json.sig"));
    bwctl("certify", SAMPLE.toString(), "--from", FROM.toString(), "--to", TO.toString(), "-o",
        certificate.toString(), "--sign", privateKey.toString());

    assertThat(signed.exitCode()).as(signed.err()).isZero();
    assertThat(signed.err()).contains("signature written to " + dir.resolve("books.json.sig"));
    assertThat(Files.readString(dir.resolve("books.json.sig"))).as("Ed25519 signs deterministically").isEqualTo(signature);
    BwctlRun verified = bwctl("certify", "--verify", certificate.toString(), "--public-key", publicKey.toString(),
        SAMPLE.toString());
    assertThat(verified.exitCode()).as(verified.err()).isZero();
    assertThat(verified.out()).contains(", signed by key.pub.pem");
    BwctlRun byAnother = bwctl("certify", "--verify", certificate.toString(), "--public-key", otherKey.toString(),
        SAMPLE.toString());
    assertThat(byAnother.exitCode()).isEqualTo(1);
    assertThat(byAnother.err()).contains("is not a signature of " + certificate + " by the key " + otherKey);
    Files.writeString(dir.resolve("books.json.sig"), (signature.startsWith("A") ? "B" : "A") + signature.substring(1));
    assertThat(bwctl("certify", "--verify", certificate.toString(), "--public-key", publicKey.toString(),
        SAMPLE.toString()).exitCode()).as("a signature edited").isEqualTo(1);
  }

  @Test
  void aWindowIsNeededAndMustNotRunBackwards() {
    assertThat(bwctl("certify", SAMPLE.toString()).exitCode()).isEqualTo(2);
    BwctlRun backwards = bwctl("certify", SAMPLE.toString(), "--from", TO.toString(), "--to", FROM.toString());
    assertThat(backwards.exitCode()).isEqualTo(2);
    assertThat(backwards.err()).contains("--from not after --to");
  }

  /** A key as openssl writes it. */
  private static Path pem(Path file, String type, byte[] der) throws Exception {
    return Files.writeString(file, "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n");
  }

  private static long[] figures(long... values) {
    return values;
  }

  private static long[] extremes(long[] a, long[] b, boolean max) {
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = max ? Math.max(a[i], b[i]) : Math.min(a[i], b[i]);
    }
    return out;
  }
}
