package org.bwledger.pipeline.faults;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bwledger.bwctl.Bwctl;

/**
 * A bwledger component in a JVM of its own, as {@code bwctl ingest}, {@code ledger} or {@code projector}
 * runs in a pod, so that a kill is a real SIGKILL: no shutdown hook, no flush, an open transaction left behind.
 */
final class BwctlProcess implements AutoCloseable {

  private final List<String> command;
  private final Path log;
  private Process process;
  private long startedAtNanos;
  private int starts;

  private BwctlProcess(List<String> bwctl, Path log) {
    this.log = log;
    this.command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), Bwctl.class.getName()));
    this.command.addAll(bwctl);
  }

  /** A ledger replica named {@code instance}, publishing every 200 ms, its state under {@code directory}. */
  static BwctlProcess ledger(String bootstrapServers, String prefix, int partitions, String instance, Path directory)
      throws IOException {
    Path state = Files.createDirectories(directory.resolve(instance));
    return new BwctlProcess(List.of("ledger", "--bootstrap-servers", bootstrapServers, "--topic-prefix", prefix,
        "--partitions", String.valueOf(partitions), "--application-id", prefix + "ledger", "--instance-id", instance,
        "--state-dir", state.toString(), "--emit-interval", "PT0.2S", "--http-host", "127.0.0.1", "--http-port", "0",
        "--probe-port", "0", "--auth", "none", "--kafka", "commit.interval.ms=100"),
        directory.resolve(instance + ".log"));
  }

  /** Ingest watching the cluster of {@code kubeconfig}. */
  static BwctlProcess ingest(String bootstrapServers, String prefix, int partitions, Path kubeconfig, Path directory) {
    return new BwctlProcess(List.of("ingest", "--bootstrap-servers", bootstrapServers, "--topic-prefix", prefix,
        "--partitions", String.valueOf(partitions), "--kubeconfig", kubeconfig.toString(), "--http-host", "127.0.0.1",
        "--http-port", "0", "--probe-port", "0", "--auth", "none"), directory.resolve("ingest.log"));
  }

  /** A projector replica named {@code instance}, its REST API on {@code port}, writing to the cluster of {@code kubeconfig}. */
  static BwctlProcess projector(String bootstrapServers, String prefix, String instance, int port, Path kubeconfig,
      Path directory) throws IOException {
    Path state = Files.createDirectories(directory.resolve(instance));
    return new BwctlProcess(List.of("projector", "--bootstrap-servers", bootstrapServers, "--topic-prefix", prefix,
        "--instance-id", instance, "--state-dir", state.toString(), "--kubeconfig", kubeconfig.toString(),
        "--http-host", "127.0.0.1", "--http-port", String.valueOf(port), "--probe-port", "0", "--auth", "none",
        "--status-writes-per-second", "200", "--history-retention", "P30D", "--ledger-application-id",
        prefix + "ledger", "--kafka", "commit.interval.ms=100"),
        directory.resolve(instance + ".log"));
  }

  /** Starts it; its output goes on after what earlier runs wrote. */
  BwctlProcess start() throws IOException {
    starts++;
    Files.writeString(log, "=== start " + starts + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    startedAtNanos = System.nanoTime();
    return this;
  }

  /** Waits until this run has logged {@code line}; returns how long that took from its start. */
  Duration awaitLine(String line) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> thisRun().contains(line));
    return Duration.ofNanos(System.nanoTime() - startedAtNanos);
  }

  /** The port this run serves its API and {@code /metrics} on, as it logged it. */
  int apiPort() throws IOException {
    Matcher port = Pattern.compile("API and metrics on http://127\\.0\\.0\\.1:(\\d+)/").matcher(thisRun());
    if (!port.find()) {
      throw new IllegalStateException("this run has not said where it serves yet");
    }
    return Integer.parseInt(port.group(1));
  }

  /** SIGKILL, and waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Every thread's stack, as {@code jcmd} prints it: what a process that stopped answering was doing. */
  String threadDump() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process dump = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "Thread.print")
          .redirectErrorStream(true).start();
      String threads = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      dump.waitFor(30, TimeUnit.SECONDS);
      return threads;
    } catch (IOException e) {
      return "no thread dump: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "no thread dump: interrupted";
    }
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
