package org.bwledger.bwctl.record;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.bwledger.bwctl.options.LabelSelector;
import org.bwledger.kube.crd.BandwidthCrd;

/**
 * Records a cluster's pods, nodes and Bandwidth objects as a trace {@code bwctl replay} reads: one
 * kubectl watch event per line ({@code {"type": …, "object": …}}), plus {@code observedAt}, when it
 * was seen, which a kubectl trace lacks. Nothing is installed in the cluster: it only watches.
 */
public final class TraceRecorder implements AutoCloseable {

  /**
   * Which pods to record; nodes and Bandwidth objects are recorded whole, being the capacity pods are
   * counted against. The API server applies both filters: a pod whose labels stop matching is
   * recorded as DELETED, as a watch sees it.
   *
   * @param namespaces the namespaces whose pods to record; empty for every namespace
   * @param selector the pods' label selector, as the API server takes it; null for every pod
   */
  public record Scope(Set<String> namespaces, LabelSelector selector) {
    public static final Scope EVERYTHING = new Scope(Set.of(), null);
  }

  private final KubernetesClient client;
  private final Scope scope;
  private final Clock clock;
  private final KubernetesSerialization serialization;
  private final Writer out;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final AtomicLong events = new AtomicLong();

  public TraceRecorder(KubernetesClient client, Scope scope, Path trace, Clock clock) throws IOException {
    this.client = client;
    this.scope = scope;
    this.clock = clock;
    this.serialization = client.getKubernetesSerialization();
    this.out = Files.newBufferedWriter(trace, StandardCharsets.UTF_8);
  }

  /** Starts watching; every object that exists is recorded as ADDED first, as kubectl does. */
  public void start() {
    if (scope.namespaces().isEmpty()) {
      informers.add(selected(client.pods().inAnyNamespace()).inform(new Recording<>(), 0));
    }
    for (String namespace : new TreeSet<>(scope.namespaces())) {
      informers.add(selected(client.pods().inNamespace(namespace)).inform(new Recording<>(), 0));
    }
    informers.add(client.nodes().inform(new Recording<>(), 0));
    informers.add(client.genericKubernetesResources(BandwidthCrd.CONTEXT).inform(new Recording<>(), 0));
  }

  private FilterWatchListDeletable<Pod, PodList, PodResource> selected(
      FilterWatchListDeletable<Pod, PodList, PodResource> pods) {
    return scope.selector() == null ? pods : pods.withLabelSelector(scope.selector().text());
  }

  /** Watch events written so far. */
  public long events() {
    return events.get();
  }

  /** Stops watching and closes the trace with everything seen written. */
  @Override
  public void close() throws IOException {
    informers.forEach(SharedIndexInformer::close);
    synchronized (out) {
      out.close();
    }
  }

  private void write(String type, HasMetadata object) {
    String line = "{\"type\":\"" + type + "\",\"observedAt\":\""
        + clock.instant().truncatedTo(ChronoUnit.MILLIS) + "\",\"object\":" + serialization.asJson(object) + "}\n";
    synchronized (out) {
      try {
        out.write(line);
        out.flush(); // a trace cut by Ctrl-C still holds every event seen
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    events.incrementAndGet();
  }

  /** Writes each notification of one informer as a watch event. */
  private final class Recording<T extends HasMetadata> implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T object) {
      write("ADDED", object);
    }

    @Override
    public void onUpdate(T before, T after) {
      write("MODIFIED", after);
    }

    @Override
    public void onDelete(T object, boolean finalStateUnknown) {
      write("DELETED", object);
    }
  }
}
