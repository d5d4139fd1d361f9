package org.bwledger.runtime.options;

import java.util.Map;
import org.bwledger.runtime.http.HttpSettings;
import picocli.CommandLine.Option;

/** Where a process serves HTTP: its probes and metrics, and the projector's API and scheduler extender. */
public final class HttpOptions {

  @Option(names = "--http-host", paramLabel = "HOST", defaultValue = "${env:BW_HTTP_HOST}",
      description = "Address the HTTP server listens on (env BW_HTTP_HOST, default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:BW_HTTP_PORT}",
      description = "Port of the HTTP server; 0 picks a free one (env BW_HTTP_PORT, default: ${DEFAULT-VALUE}).")
  int port;

  /** The defaults of these options, from {@code defaults}. */
  public static Map<String, String> defaults(HttpSettings defaults) {
    return Map.of("--http-host", defaults.host(), "--http-port", String.valueOf(defaults.port()));
  }

  /** The settings these options give. */
  public HttpSettings settings() {
    return new HttpSettings(host, port);
  }
}
