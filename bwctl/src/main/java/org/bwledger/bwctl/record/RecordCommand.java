package org.bwledger.bwctl.record;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
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
        + "replay reads, until Ctrl-C. Installs nothing in the cluster.")
public final class RecordCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "bwledger-trace.json",
      description = "The trace to write (default: ${DEFAULT-VALUE}).")
  Path output;

  @Mixin
  KubernetesOptions kubernetes;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    try (ProcessLifecycle process = new ProcessLifecycle("record")) {
      KubernetesClient client = kubernetes.client();
      TraceRecorder recorder = new TraceRecorder(client, output, Clock.systemUTC());
      // Closed last, once the trace holds every event seen: the count is final.
      process.closeLater(() -> {
        err.printf("recorded %,d events to %s%n", recorder.events(), output);
        err.flush();
      });
      process.closeLater(client);
      process.closeLater(recorder).start();
      err.printf("recording %s to %s (Ctrl-C to stop)%n", client.getMasterUrl(), output);
      err.flush();
      return process.awaitExit();
    }
  }
}
