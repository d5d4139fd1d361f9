package org.bwledger.pipeline.faults;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bwledger.bwctl.Bwctl;

/**
 * A ledger in a JVM of its own, as {@code bwctl ledger} runs in a pod, so that a kill is a real
 * SIGKILL: no shutdown hook, no flush, an open transaction left behind.
 */
final class LedgerProcess implements AutoCloseable {

  private final List<String> command;
  private final Path log;
  private Process process;
  private long startedAtNanos;
  private int starts;

  /**
   * @param instance the replica's name: its static membership of the group and its state directory
   */
  LedgerProcess(String bootstrapServers, String prefix, String instance, Path directory) throws IOException {
    Path state = Files.createDirectories(directory.resolve(instance));
    this.log = directory.resolve(instance + ".log");
    String java = ProcessHandle.current().info().command().orElse("java");
    this.command = List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), Bwctl.class.getName(),
        "ledger", "--bootstrap-servers", bootstrapServers, "--topic-prefix", prefix, "--partitions", "6",
        "--application-id", prefix + "ledger", "--instance-id", instance, "--state-dir", state.toString(),
        "--emit-interval", "PT0.2S", "--http-host", "127.0.0.1", "--http-port", "0", "--probe-port", "0",
        "--auth", "none", "--kafka", "commit.interval.ms=100");
  }

  /** Starts it; its output goes on after what earlier runs wrote. */
  LedgerProcess start() throws IOException {
    starts++;
    Files.writeString(log, "=== start " + starts + "\n", StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    startedAtNanos = System.nanoTime();
    return this;
  }

  /** Waits until this run's fold is RUNNING; returns how long that took from the start. */
  Duration awaitRunning() {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
        .until(() -> thisRun().contains("Ledger RUNNING"));
    return Duration.ofNanos(System.nanoTime() - startedAtNanos);
  }

  /** SIGKILL, and waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** What this run has written so far. */
  String thisRun() throws IOException {
    String all = Files.readString(log);
    return all.substring(all.lastIndexOf("=== start " + starts));
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
