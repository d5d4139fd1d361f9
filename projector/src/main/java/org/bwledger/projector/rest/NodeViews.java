package org.bwledger.projector.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.bwledger.kube.crd.BandwidthObjects;
import org.bwledger.projector.extender.PlacementBook;
import org.bwledger.projector.extender.SchedulerExtender;
import org.bwledger.projector.query.ClusterSummary;
import org.bwledger.projector.query.NodeQueries;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;

/**
 * The REST API's answers that are not a Bandwidth object as is: the node list, a node's history, a
 * pod's reservation and the cluster summary, each built from the Bandwidth objects' own parts
 * ({@link BandwidthObjects}) so that the API and {@code kubectl get bw} say the same.
 */
final class NodeViews {

  private final ObjectMapper json;
  private final BandwidthObjects objects;

  NodeViews(ObjectMapper json) {
    this.json = json;
    this.objects = new BandwidthObjects(json);
  }

  /** One node as its Bandwidth object. */
  ObjectNode node(NodeBandwidth state) {
    return objects.bandwidth(state);
  }

  /** Every node's figures, one item each, in the order given. */
  ObjectNode list(List<NodeBandwidth> nodes) {
    ObjectNode list = json.createObjectNode();
    ArrayNode items = list.putArray("items");
    for (NodeBandwidth node : nodes) {
      ObjectNode item = items.addObject();
      item.put("name", node.getNode());
      item.set("capacity", objects.figures(node.getCapacity()));
      item.set("used", objects.figures(node.getUsed()));
      item.set("remaining", objects.figures(node.getRemaining()));
      item.put("reservations", node.getReservations().size());
      ArrayNode oversubscribed = item.putArray("oversubscribed");
      node.getOversubscribed().forEach(oversubscribed::add);
      item.put("updatedAt", node.getUpdatedAt().toString());
      item.put("ledgerPosition", node.getLastEventId());
      if (node.getTraffic() != null) {
        item.put("measured", BandwidthObjects.measured(node));
      }
    }
    return list;
  }

  /** The states a node held between two times, each as a status with when it held. */
  ObjectNode history(String node, Instant from, Instant to, List<NodeQueries.Version> versions) {
    ObjectNode out = json.createObjectNode();
    out.put("name", node);
    out.put("from", from.toString());
    out.put("to", to.toString());
    ArrayNode items = out.putArray("versions");
    for (NodeQueries.Version version : versions) {
      ObjectNode item = items.addObject();
      item.put("validFrom", version.validFrom().toString());
      if (version.validTo() != null) {
        item.put("validTo", version.validTo().toString());
      }
      item.set("status", objects.status(version.state()));
    }
    return out;
  }

  /** A pod's reservation and the node it holds it on. */
  ObjectNode reservation(String node, Reservation reservation) {
    ObjectNode out = json.createObjectNode();
    out.put("node", node);
    out.set("reservation", objects.reservation(reservation));
    return out;
  }

  /**
   * What the scheduler extender of this replica has under way: its holds (binds the published
   * states do not show yet) and its last refused or failed binds, newest first.
   *
   * @param scheduler null when this projector serves no extender
   */
  ObjectNode scheduling(SchedulerExtender scheduler) {
    ObjectNode out = json.createObjectNode();
    out.put("extender", scheduler != null);
    ArrayNode holds = out.putArray("holds");
    ArrayNode refusals = out.putArray("refusals");
    if (scheduler == null) {
      return out;
    }
    for (PlacementBook.Hold hold : scheduler.holds()) {
      holds.addObject().put("pod", hold.pod()).put("node", hold.node()).put("ulMbps", hold.ulMbps())
          .put("dlMbps", hold.dlMbps()).put("expiresAt", hold.expiresAt().toString());
    }
    for (SchedulerExtender.Refusal refusal : scheduler.recentRefusals()) {
      refusals.addObject().put("at", refusal.at().toString()).put("pod", refusal.pod()).put("node", refusal.node())
          .put("reason", refusal.reason());
    }
    return out;
  }

  /** The cluster's totals. */
  ObjectNode summary(ClusterSummary summary) {
    ObjectNode out = json.createObjectNode();
    out.put("nodes", summary.nodes());
    out.put("reservations", summary.reservations());
    out.put("invalidReservations", summary.invalidReservations());
    out.put("assumedReservations", summary.assumedReservations());
    out.set("capacity", objects.figures(summary.capacity()));
    out.set("used", objects.figures(summary.used()));
    out.set("remaining", objects.figures(summary.remaining()));
    ArrayNode oversubscribed = out.putArray("oversubscribedNodes");
    summary.oversubscribedNodes().forEach(oversubscribed::add);
    return out;
  }
}
