package org.bwledger.projector.extender;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.bwledger.kube.events.EventTranslator;
import org.bwledger.schemas.annotation.AnnotationKey;
import org.bwledger.schemas.annotation.AnnotationKeys;
import org.bwledger.ledger.rules.AnnotationParser;
import org.bwledger.ledger.rules.BandwidthRequest;
import org.bwledger.ledger.rules.Workloads;
import org.bwledger.schemas.event.Owner;
import org.bwledger.schemas.event.PodAssumed;
import org.bwledger.schemas.event.PodObserved;

/**
 * What a pod asks of a node's bandwidth. A pod is read as ingest reads it and parsed with the
 * ledger's parser, so the extender and the fold never disagree about a pod.
 *
 * @param annotations the pod's bandwidth annotations, raw, as an assumption records them
 * @param controller its controller owner, or null
 * @param workload its workload key ({@link Workloads#keyOf}), or null without a controller
 */
public record PodDemand(String uid, String namespace, String name, Map<String, String> annotations,
    Owner controller, String workload, BandwidthRequest request) {

  /** Reads pods with the configured annotation keys. */
  public static final class Reader {
    private final EventTranslator translator;
    private final AnnotationParser parser;

    public Reader(AnnotationKeys keys) {
      this.translator = new EventTranslator(keys.all().map(AnnotationKey::name).collect(Collectors.toSet()));
      this.parser = new AnnotationParser(keys);
    }

    public PodDemand read(Pod pod) {
      return read((PodObserved) translator.podObserved(pod, "", Instant.EPOCH).getPayload());
    }

    /** A pod as ingest observed it: how replay, scheduling a trace's pods, reads them. */
    public PodDemand read(PodObserved pod) {
      return demand(pod.getUid(), pod.getNamespace(), pod.getName(), pod.getBandwidthAnnotations(),
          pod.getController());
    }

    /**
     * What a pod's annotations ask, read as admission sees the pod: before it exists, without a uid
     * and perhaps without a name yet.
     */
    public BandwidthRequest request(Pod pod) {
      return parser.parse(translator.bandwidthAnnotationsOf(pod.getMetadata()));
    }

    /** The pod a bind recorded, read again from its assumption. */
    public PodDemand read(PodAssumed assumed) {
      return demand(assumed.getUid(), assumed.getNamespace(), assumed.getName(), assumed.getBandwidthAnnotations(),
          assumed.getController());
    }

    private PodDemand demand(String uid, String namespace, String name, Map<String, String> annotations,
        Owner controller) {
      return new PodDemand(uid, namespace, name, annotations, controller, Workloads.keyOf(namespace, controller),
          parser.parse(annotations));
    }
  }

  /** Whether the pod declares any bandwidth: one that does not passes every node. */
  public boolean declared() {
    return request.declared();
  }
}
