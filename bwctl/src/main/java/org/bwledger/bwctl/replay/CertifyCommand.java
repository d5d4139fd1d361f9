package org.bwledger.bwctl.replay;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bwledger.bwctl.BwctlVersion;
import org.bwledger.bwctl.options.InstantConverter;
import org.bwledger.ledger.app.LedgerRulesOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bwctl certify TRACE --from T1 --to T2}: a certificate of the books over a window of a
 * history, for a paper's artifact appendix; {@code --verify CERT} reruns it and says whether the
 * bytes agree.
 */
@Command(
    name = "certify",
    mixinStandardHelpOptions = true,
    defaultValueProvider = ReplayCommand.Defaults.class,
    description = {
        "Replays a trace (as replay reads it) and writes a certificate of the books between two times: the input's "
            + "SHA-256, the window, the rules, bwledger's version, each node's most used and least remaining "
            + "bandwidth in every dimension, and every spell below 0. The same input, window and rules give the "
            + "same bytes.",
        "With --verify CERT, computes the certificate again from TRACE, with the window CERT names, and compares."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:written, or verified",
        "1:the trace or certificate could not be read, or the certificate does not verify",
        "2:invalid command line",
        "3:written, but some of the trace was skipped (reported on standard error)"})
public final class CertifyCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(paramLabel = "TRACE", description = "The trace file, or an Avro file from bwctl export.")
  private Path trace;

  @Option(names = "--from", paramLabel = "TIME", converter = InstantConverter.class,
      description = "Start of the window, ISO-8601, e.g. 2026-11-20T09:00:00Z; the state then counts.")
  private Instant from;

  @Option(names = "--to", paramLabel = "TIME", converter = InstantConverter.class,
      description = "End of the window, ISO-8601; events observed later are not replayed.")
  private Instant to;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write the certificate here rather than to standard output.")
  private Path output;

  @Option(names = "--verify", paramLabel = "CERT",
      description = "Check this certificate against TRACE instead of writing one.")
  private Path verify;

  @Option(names = "--sign", paramLabel = "KEY",
      description = "Also sign the certificate with this Ed25519 private key (PEM, as openssl genpkey -algorithm "
          + "ed25519 writes it), into CERT.sig beside it; needs -o.")
  private Path signingKey;

  @Option(names = "--public-key", paramLabel = "KEY",
      description = "With --verify, also check CERT.sig against this Ed25519 public key (PEM, as openssl pkey "
          + "-pubout writes it).")
  private Path publicKey;

  @Mixin
  private LedgerRulesOptions rules;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    ObjectMapper json = new ObjectMapper();
    JsonNode claimed = null;
    String given = null;
    if (verify != null) {
      try {
        given = Files.readString(verify, StandardCharsets.UTF_8);
        claimed = json.readTree(given);
        from = Instant.parse(claimed.at("/window/from").asText());
        to = Instant.parse(claimed.at("/window/to").asText());
      } catch (IOException | RuntimeException e) {
        err.println("cannot read the certificate " + verify + ": " + e.getMessage());
        return 1;
      }
    }
    if (from == null || to == null || from.isAfter(to)) {
      err.println("give the window: --from TIME --to TIME, with --from not after --to");
      return 2;
    }
    Optional<String> unreadable = TraceInput.unreadable(trace);
    if (unreadable.isPresent()) {
      err.println(unreadable.get());
      return 2;
    }
    if (signingKey != null && output == null || publicKey != null && verify == null) {
      err.println(signingKey != null ? "--sign writes CERT.sig beside the certificate: give -o CERT"
          : "--public-key checks a signature: give --verify CERT");
      return 2;
    }

    Replay.Result result;
    BooksCertificate.Input input;
    try {
      input = new BooksCertificate.Input(trace.getFileName().toString(), sha256(trace), Files.size(trace));
      result = TraceInput.replay(trace.toString(), new Replay(rules.rules()),
          new Replay.Options(to, List.of(), false, true, 1, null), false);
    } catch (IOException e) {
      err.println("cannot read the trace " + trace + ": " + e.getMessage());
      return 1;
    }
    String certificate = json.writer(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")))
        .writeValueAsString(BooksCertificate.of(json, result.timeline(), from, to, input, BwctlVersion.version(),
            rules.rules())) + "\n";
    result.skipped().forEach(problem -> err.println("skipped " + problem));

    if (claimed != null) {
      return publicKey != null && !signed(given, err) ? 1 : verified(given, certificate, claimed, input, err);
    }
    if (output != null) {
      Files.writeString(output, certificate, StandardCharsets.UTF_8);
      err.println("certificate written to " + output);
      if (signingKey != null) {
        try {
          Files.writeString(CertificateSignature.of(output), CertificateSignature.sign(certificate, signingKey));
        } catch (GeneralSecurityException | IOException e) {
          err.println("cannot sign with " + signingKey + ": " + e.getMessage());
          return 1;
        }
        err.println("signature written to " + CertificateSignature.of(output));
      }
    } else {
      spec.commandLine().getOut().print(certificate);
      spec.commandLine().getOut().flush();
    }
    return result.skipped().isEmpty() ? 0 : ReplayCommand.SKIPPED_INPUT;
  }

  /** Whether the certificate given carries a signature by {@link #publicKey}; says why not when not. */
  private boolean signed(String given, PrintWriter err) {
    Path signature = CertificateSignature.of(verify);
    try {
      if (CertificateSignature.verifies(given, Files.readString(signature, StandardCharsets.US_ASCII), publicKey)) {
        return true;
      }
      err.printf("does not verify: %s is not a signature of %s by the key %s%n", signature, verify, publicKey);
    } catch (GeneralSecurityException | IOException e) {
      err.printf("does not verify: cannot check %s with %s: %s%n", signature, publicKey, e.getMessage());
    }
    return false;
  }

  /** Compares the certificate given with the one computed, saying where they part. */
  private int verified(String given, String computed, JsonNode claimed, BooksCertificate.Input input, PrintWriter err) {
    PrintWriter out = spec.commandLine().getOut();
    if (given.equals(computed)) {
      out.printf("verified: %s certifies %s (sha256 %s) from %s to %s%s%n", verify.getFileName(), input.name(),
          input.sha256(), from, to, publicKey == null ? "" : ", signed by " + publicKey.getFileName());
      out.flush();
      return 0;
    }
    if (!claimed.at("/input/sha256").asText().equals(input.sha256())) {
      err.printf("does not verify: %s is of another input (sha256 %s), not %s (sha256 %s)%n", verify,
          claimed.at("/input/sha256").asText(), trace, input.sha256());
      return 1;
    }
    List<String> givenLines = given.lines().toList();
    List<String> computedLines = computed.lines().toList();
    int line = 0;
    while (line < Math.min(givenLines.size(), computedLines.size())
        && givenLines.get(line).equals(computedLines.get(line))) {
      line++;
    }
    err.printf("does not verify: line %d of %s says %s, the replay gives %s (another version or other rules?)%n",
        line + 1, verify, line < givenLines.size() ? givenLines.get(line).strip() : "nothing",
        line < computedLines.size() ? computedLines.get(line).strip() : "nothing");
    return 1;
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
