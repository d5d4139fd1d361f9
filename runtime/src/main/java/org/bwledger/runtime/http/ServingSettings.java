package org.bwledger.runtime.http;

/**
 * Where a process serves: its API (for every process at least {@code /metrics}) and, apart, the
 * probes, so that load on the one cannot starve the other.
 *
 * @param api the API and metrics, authenticated, plain or TLS
 * @param probes liveness and readiness, open and plain, as a kubelet calls them
 */
public record ServingSettings(HttpSettings api, HttpSettings probes) {

  /** Every interface: the API at {@code apiPort}, the probes at {@code probePort}. */
  public static ServingSettings everywhere(int apiPort, int probePort) {
    return new ServingSettings(HttpSettings.everywhere(apiPort), HttpSettings.everywhere(probePort));
  }

  /** This machine only, at free ports: inside {@code bwctl run} and tests. */
  public static ServingSettings loopback() {
    return new ServingSettings(HttpSettings.loopback(), HttpSettings.loopback());
  }

  public ServingSettings withApi(HttpSettings api) {
    return new ServingSettings(api, probes);
  }
}
