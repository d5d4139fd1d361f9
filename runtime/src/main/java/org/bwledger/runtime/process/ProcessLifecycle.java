package org.bwledger.runtime.process;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a process until SIGTERM or Ctrl-C, then stops what it started in the reverse order: a service
 * stops before the clients it uses. A service that stops for good ends the process as well, with a
 * non-zero exit code, so that whatever supervises it (the kubelet, a shell) sees the failure.
 */
public final class ProcessLifecycle implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ProcessLifecycle.class);

  private final String name;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private final Thread hook;
  private boolean closed;

  /** Makes the service a process runs, registering with the lifecycle what the service uses. */
  @FunctionalInterface
  public interface ServiceFactory {
    Service create(ProcessLifecycle process) throws Exception;
  }

  /**
   * Runs one service as a process: starts it, and runs until SIGTERM or Ctrl-C (exit code 0) or until
   * the service stops for good (exit code 1); then stops the service, then what it uses.
   *
   * @param name the process, as its threads and log lines name it
   */
  public static int run(String name, ServiceFactory factory) throws Exception {
    try (ProcessLifecycle process = new ProcessLifecycle(name)) {
      Service service = process.closeLater(factory.create(process));
      service.stoppedForGood().thenAccept(process::fail);
      service.start();
      return process.awaitExit();
    }
  }

  /** @param name the process, as its threads and log lines name it */
  public ProcessLifecycle(String name) {
    this.name = name;
    this.hook = new Thread(() -> {
      close();
      exit.complete(0);
    }, "bwledger-" + name + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Registers something to close when the process stops, after everything registered later. */
  public synchronized <T extends AutoCloseable> T closeLater(T part) {
    started.push(part);
    return part;
  }

  /** Ends the process with exit code 1: a part of it stopped for good. */
  public void fail(String why) {
    log.error("{} stops: {}", name, why);
    exit.complete(1);
  }

  /**
   * Blocks until the process is signalled to stop (then everything registered has been closed) or
   * until {@link #fail} is called.
   *
   * @return the exit code: 0 when signalled, 1 when a part failed
   */
  public int awaitExit() throws InterruptedException {
    try {
      return exit.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * As {@link #awaitExit()}, but for {@code atMost} only: a process that runs for a set time.
   *
   * @return the exit code: 0 when signalled or when the time is up, 1 when a part failed
   */
  public int awaitExit(Duration atMost) throws InterruptedException {
    try {
      return exit.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return 0;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Closes everything registered, newest first; the second call does nothing. */
  @Override
  public void close() {
    Deque<AutoCloseable> closing;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      closing = new ArrayDeque<>(started);
      started.clear();
    }
    for (AutoCloseable part : closing) {
      try {
        part.close();
      } catch (Exception e) {
        log.warn("Stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
    if (Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down already: the hook runs, and finds everything closed.
      }
    }
  }
}
