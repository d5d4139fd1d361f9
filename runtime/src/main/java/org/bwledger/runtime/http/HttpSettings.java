package org.bwledger.runtime.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where a listener serves, and how.
 *
 * @param host the address to listen on ({@code 0.0.0.0}: every interface)
 * @param port the port; 0 picks a free one
 * @param tls TLS, and which client certificates it requires; null for plain HTTP
 */
public record HttpSettings(String host, int port, TlsSettings tls) {

  public HttpSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("an HTTP host is needed");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is not in [0, 65535]");
    }
  }

  /** Plain HTTP at {@code host} and {@code port}. */
  public HttpSettings(String host, int port) {
    this(host, port, null);
  }

  /** Every interface, at {@code port}, plain: what a process in a pod serves on. */
  public static HttpSettings everywhere(int port) {
    return new HttpSettings("0.0.0.0", port);
  }

  /** This machine only, at a free port, plain: what a process inside {@code bwctl run} or a test serves on. */
  public static HttpSettings loopback() {
    return new HttpSettings("127.0.0.1", 0);
  }

  public HttpSettings withPort(int port) {
    return new HttpSettings(host, port, tls);
  }

  public HttpSettings withTls(TlsSettings tls) {
    return new HttpSettings(host, port, tls);
  }

  /** True when only this machine can reach the listener. */
  public boolean loopbackOnly() {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The URL scheme clients use. */
  public String scheme() {
    return tls == null ? "http" : "https";
  }
}
