package org.bwledger.bwctl.testing;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.bwledger.bwctl.Bwctl;

/**
 * One batch {@code bwctl} command (replay, export, ...) run as a user runs it: in a JVM of its own,
 * started with the collector {@code bin/bwctl} gives batch commands, timed from the start of that JVM
 * to its exit.
 *
 * @param exitCode what the process exited with
 * @param out what it printed on standard output
 * @param elapsed from starting the JVM to its exit
 */
public record BatchProcess(int exitCode, String out, Duration elapsed) {

  /** The JVM options {@code bin/bwctl} starts a batch command with: the throughput collector. */
  public static final List<String> JVM_OPTIONS = List.of("-XX:+UseParallelGC");

  /**
   * Runs {@code bwctl ARGS} in a new JVM and waits for it; what it prints on standard error goes to
   * this JVM's, so that a failure says why where the benchmark runs.
   */
  public static BatchProcess bwctl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(JVM_OPTIONS);
    command.addAll(List.of("-cp", classpath(), Bwctl.class.getName()));
    command.addAll(Arrays.asList(args));
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exitCode = process.waitFor();
    return new BatchProcess(exitCode, out, Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * This JVM's class path: {@code java.class.path}, unless these classes were loaded apart from it,
   * as {@code mvn exec:java} loads a project's classes.
   */
  private static String classpath() {
    if (BatchProcess.class.getClassLoader() instanceof URLClassLoader loader && loader.getURLs().length > 0) {
      return Arrays.stream(loader.getURLs()).map(BatchProcess::path).collect(Collectors.joining(File.pathSeparator));
    }
    return System.getProperty("java.class.path");
  }

  private static String path(URL url) {
    try {
      return Path.of(url.toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a file on the class path: " + url, e);
    }
  }
}
