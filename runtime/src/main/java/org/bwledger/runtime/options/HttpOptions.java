package org.bwledger.runtime.options;

import java.nio.file.Path;
import java.util.Map;
import org.bwledger.runtime.http.HttpSettings;
import org.bwledger.runtime.http.ServingSettings;
import org.bwledger.runtime.http.TlsSettings;
import picocli.CommandLine.Option;

/**
 * Where a process serves HTTP: its API (metrics, and the projector's REST API), the probes on a
 * port of their own, and the serving certificate when the API speaks TLS.
 */
public final class HttpOptions {

  @Option(names = "--http-host", paramLabel = "HOST", defaultValue = "${env:BW_HTTP_HOST}",
      description = "Address the HTTP listeners listen on (env BW_HTTP_HOST, default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:BW_HTTP_PORT}",
      description = "Port of the API and /metrics; 0 picks a free one (env BW_HTTP_PORT, default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--probe-port", paramLabel = "PORT", defaultValue = "${env:BW_PROBE_PORT}",
      description = "Port of /healthz and /readyz, open to all; 0 picks a free one (env BW_PROBE_PORT, "
          + "default: ${DEFAULT-VALUE}).")
  int probePort;

  @Option(names = "--tls-cert-file", paramLabel = "FILE", defaultValue = "${env:BW_TLS_CERT_FILE}",
      description = "PEM certificate (and chain) the API serves TLS with; without it, plain HTTP (env BW_TLS_CERT_FILE).")
  Path certificate;

  @Option(names = "--tls-key-file", paramLabel = "FILE", defaultValue = "${env:BW_TLS_KEY_FILE}",
      description = "PEM private key of --tls-cert-file (env BW_TLS_KEY_FILE).")
  Path privateKey;

  /** The defaults of these options, from {@code defaults}. */
  public static Map<String, String> defaults(ServingSettings defaults) {
    return Map.of("--http-host", defaults.api().host(), "--http-port", String.valueOf(defaults.api().port()),
        "--probe-port", String.valueOf(defaults.probes().port()));
  }

  /** The settings these options give. */
  public ServingSettings settings() {
    return new ServingSettings(new HttpSettings(host, port, tls(null)), new HttpSettings(host, probePort));
  }

  /** TLS with the serving certificate, requiring client certificates of {@code clientCa} if not null; null without a certificate. */
  public TlsSettings tls(Path clientCa) {
    if ((certificate == null) != (privateKey == null)) {
      throw new IllegalArgumentException("--tls-cert-file and --tls-key-file go together");
    }
    if (certificate == null && clientCa != null) {
      throw new IllegalArgumentException("client certificates need TLS: --tls-cert-file and --tls-key-file");
    }
    return certificate == null ? null : new TlsSettings(certificate, privateKey, clientCa);
  }

  /** The address the listeners listen on. */
  public String host() {
    return host;
  }
}
