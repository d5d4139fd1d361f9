package org.bwledger.runtime.http;

import java.util.function.Supplier;
import org.bwledger.runtime.process.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The two listeners every bwledger process has: the probes, and its API (with {@code /metrics}). */
public final class ServiceListeners implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ServiceListeners.class);

  private final HttpServer probes;
  private final HttpServer api;

  private ServiceListeners(HttpServer probes, HttpServer api) {
    this.probes = probes;
    this.api = api;
  }

  /**
   * Serves the probes of {@code health} and {@code api} where {@code serving} says.
   *
   * @param name the process, as its threads and log lines name it
   */
  public static ServiceListeners start(String name, ServingSettings serving, Supplier<Health> health, Router api)
      throws Exception {
    HttpServer probes = HttpServer.start(name + "-probes", serving.probes(), HttpServer.Limits.PROBES,
        Probes.router(health));
    try {
      ServiceListeners listeners = new ServiceListeners(probes,
          HttpServer.start(name + "-api", serving.api(), HttpServer.Limits.API, api));
      log.info("{}: probes on http://{}:{}/ (healthz, readyz), API and metrics on {}://{}:{}/", name,
          serving.probes().host(), listeners.probePort(), serving.api().scheme(), serving.api().host(),
          listeners.apiPort());
      return listeners;
    } catch (Exception e) {
      probes.close();
      throw e;
    }
  }

  public int apiPort() {
    return api.port();
  }

  public int probePort() {
    return probes.port();
  }

  /** Stops the API first, the probes last: a kubelet sees the process until it is gone. */
  @Override
  public void close() {
    api.close();
    probes.close();
  }
}
