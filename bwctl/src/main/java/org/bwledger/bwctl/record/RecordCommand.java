package org.bwledger.bwctl.record;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
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

  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "The kubeconfig (default: as kubectl finds it).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "The kubeconfig context (default: the current one).")
  String context;

  @Override
  public Integer call() throws Exception {
    if (kubeconfig != null) {
      System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig.toAbsolutePath().toString());
    }
    KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.autoConfigure(context)).build();
    TraceRecorder recorder = new TraceRecorder(client, output, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        recorder.close();
        client.close();
        spec.commandLine().getErr().printf("recorded %,d events to %s%n", recorder.events(), output);
        spec.commandLine().getErr().flush();
      } catch (Exception e) {
        spec.commandLine().getErr().println("closing the trace failed: " + e);
      }
      stopped.countDown();
    }, "bwctl-record-shutdown"));
    recorder.start();
    spec.commandLine().getErr().printf("recording %s to %s (Ctrl-C to stop)%n", client.getMasterUrl(), output);
    spec.commandLine().getErr().flush();
    stopped.await();
    return 0;
  }
}
