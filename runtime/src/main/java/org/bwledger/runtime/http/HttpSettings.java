package org.bwledger.runtime.http;

/**
 * Where a process serves HTTP.
 *
 * @param host the address to listen on ({@code 0.0.0.0}: every interface)
 * @param port the port; 0 picks a free one
 */
public record HttpSettings(String host, int port) {

  public HttpSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("an HTTP host is needed");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is not in [0, 65535]");
    }
  }

  /** Every interface, at {@code port}: what a process in a pod serves on. */
  public static HttpSettings everywhere(int port) {
    return new HttpSettings("0.0.0.0", port);
  }

  /** This machine only, at a free port: what a process inside {@code bwctl run} or a test serves on. */
  public static HttpSettings loopback() {
    return new HttpSettings("127.0.0.1", 0);
  }

  public HttpSettings withPort(int port) {
    return new HttpSettings(host, port);
  }
}
