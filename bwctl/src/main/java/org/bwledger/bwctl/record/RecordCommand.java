package org.bwledger.bwctl.record;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import org.bwledger.bwctl.options.InstantConverter;
import org.bwledger.bwctl.options.LabelSelector;
import org.bwledger.runtime.options.KubernetesOptions;
import org.bwledger.runtime.process.ProcessLifecycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bwctl record}: a cluster's history to a trace file, until Ctrl-C. */
@Command(
    name = "record",
    mixinStandardHelpOptions = true,
    description = "Watches a cluster's pods, nodes and Bandwidth objects and writes them to a trace that bwctl "
        + "replay reads, until Ctrl-C or for --duration. Installs nothing in the cluster.")
public final class RecordCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "bwledger-trace.json",
      description = "The trace to write (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
      description = "Record only the pods of this namespace; repeatable (default: every namespace). Nodes and "
          + "Bandwidth objects are always recorded.")
  Set<String> namespaces = new LinkedHashSet<>();

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", converter = LabelSelector.Converter.class,
      description = "Record only the pods whose labels match, as kubectl -l: app=web,tier!=db,zone in (a,b).")
  LabelSelector selector;

  @Option(names = "--since", paramLabel = "TIME", converter = InstantConverter.class,
      description = "Start recording at this ISO-8601 time, waiting until then; the trace opens with everything "
          + "that stands then (default: now).")
  Instant since;

  @Option(names = "--duration", paramLabel = "DURATION",
      description = "Stop after this long, as an ISO-8601 duration, e.g. PT30M (default: until Ctrl-C).")
  Duration duration;

  @Mixin
  KubernetesOptions kubernetes;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      err.println("--duration " + duration + ": give a positive duration");
      return 2;
    }
    Clock clock = Clock.systemUTC();
    try (ProcessLifecycle process = new ProcessLifecycle("record")) {
      KubernetesClient client = kubernetes.client();
      TraceRecorder recorder = new TraceRecorder(client, new TraceRecorder.Scope(namespaces, selector), output, clock);
      // Closed last, once the trace holds every event seen: the count is final.
      process.closeLater(() -> {
        err.printf("recorded %,d events to %s%n", recorder.events(), output);
        err.flush();
      });
      process.closeLater(client);
      process.closeLater(recorder);
      Duration wait = since == null || since.isBefore(clock.instant()) ? Duration.ZERO
          : Duration.between(clock.instant(), since);
      err.printf("recording %s to %s%s (%s)%n", client.getMasterUrl(), output,
          wait.isZero() ? "" : " from " + since, duration == null ? "Ctrl-C to stop" : "for " + duration + ", or Ctrl-C");
      err.flush();
      Thread.sleep(wait.toMillis()); // Ctrl-C meanwhile ends the process, with nothing recorded
      recorder.start();
      return duration == null ? process.awaitExit() : process.awaitExit(duration);
    }
  }
}
