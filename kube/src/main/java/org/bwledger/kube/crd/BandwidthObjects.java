package org.bwledger.kube.crd;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;
import org.bwledger.schemas.state.Traffic;
import org.bwledger.schemas.state.TrafficFigures;

/**
 * Node states as {@code networking.vaclab.org/v1} Bandwidth objects (DESIGN §5), in the field
 * layout of the existing operator's objects plus bwledger's additions. The projector writes this
 * status and replay prints it, so both say the same. Field order is fixed, so the same states give
 * the same bytes.
 */
public final class BandwidthObjects {

  public static final String GROUP = "networking.vaclab.org";
  public static final String API_VERSION = GROUP + "/v1";
  public static final String KIND = "Bandwidth";
  public static final String PLURAL = "bandwidths";

  private final ObjectMapper json;

  public BandwidthObjects(ObjectMapper json) {
    this.json = json;
  }

  /** A {@code BandwidthList} of the given states, in the order given. */
  public ObjectNode list(Collection<NodeBandwidth> nodes) {
    ObjectNode list = json.createObjectNode();
    list.put("apiVersion", API_VERSION);
    list.put("kind", "BandwidthList");
    ArrayNode items = list.putArray("items");
    nodes.forEach(node -> items.add(bandwidth(node)));
    list.putObject("metadata");
    return list;
  }

  /** The Bandwidth object of one node. */
  public ObjectNode bandwidth(NodeBandwidth node) {
    ObjectNode object = json.createObjectNode();
    object.put("apiVersion", API_VERSION);
    object.put("kind", KIND);
    object.putObject("metadata").put("name", node.getNode());
    ObjectNode spec = object.putObject("spec");
    spec.put("node", node.getNode());
    spec.set("capacity", specCapacity(node.getSpec()));
    object.set("status", status(node));
    return object;
  }

  /** The status the projector writes for a node's state. */
  public ObjectNode status(NodeBandwidth node) {
    ObjectNode status = json.createObjectNode();
    status.set("capacity", figures(node.getCapacity()));
    status.set("used", figures(node.getUsed()));
    status.set("remaining", figures(node.getRemaining()));
    ArrayNode reservations = status.putArray("reservations");
    node.getReservations().forEach(r -> reservations.add(reservation(r)));
    boolean oversubscribed = !node.getOversubscribed().isEmpty();
    status.put("status", oversubscribed ? "Oversubscribed" : "Ok");
    status.set("summary", summary(node));
    ArrayNode conditions = status.putArray("conditions");
    ObjectNode ready = conditions.addObject();
    ready.put("type", "Ready");
    ready.put("status", "True");
    ready.put("reason", "LedgerStateApplied");
    ready.put("message", "status reflects the ledger up to event " + node.getLastEventId());
    ObjectNode condition = conditions.addObject();
    condition.put("type", "Oversubscribed");
    condition.put("status", oversubscribed ? "True" : "False");
    condition.put("reason", oversubscribed ? "RemainingBelowZero" : "WithinCapacity");
    condition.put("message", oversubscribed
        ? "remaining below 0 in " + String.join(", ", node.getOversubscribed())
        : "remaining is at least 0 in every dimension");
    if (node.getOversubscribedSince() != null) {
      condition.put("lastTransitionTime", node.getOversubscribedSince().toString());
    }
    status.put("updatedAt", node.getUpdatedAt().toString());
    status.put("ledgerPosition", node.getLastEventId());
    if (node.getTraffic() != null) {
      status.set("traffic", traffic(node.getTraffic()));
    }
    return status;
  }

  /** Measured traffic beside the reservations: Mbit/s to two decimals, utilisation as a fraction to four. */
  public ObjectNode traffic(Traffic traffic) {
    ObjectNode out = json.createObjectNode();
    out.put("state", traffic.getMeasured() == null ? "Unknown" : "Measured");
    out.put("measuredAt", traffic.getMeasuredAt().toString());
    out.put("source", traffic.getSource());
    if (traffic.getMeasured() != null) {
      rates(out.putObject("measured"), traffic.getMeasured(), 2, "Mbps");
      out.put("intervalSeconds", BigDecimal.valueOf(traffic.getIntervalMillis(), 3));
      rates(out.putObject("utilisation"), traffic.getUtilisation(), 4, "");
      rates(out.putObject("drift"), traffic.getDrift(), 2, "Mbps");
      rates(out.putObject("headroom"), traffic.getHeadroom(), 2, "Mbps");
    }
    return out;
  }

  private static void rates(ObjectNode out, TrafficFigures figures, int decimals, String unit) {
    out.put("ul" + unit, rounded(figures.getUl(), decimals));
    out.put("dl" + unit, rounded(figures.getDl(), decimals));
  }

  private static BigDecimal rounded(double value, int decimals) {
    return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_EVEN);
  }

  /** What the printer columns show: uplink/downlink pairs, as {@code kubectl get bw} prints them. */
  private ObjectNode summary(NodeBandwidth node) {
    ObjectNode summary = json.createObjectNode();
    summary.put("networkCapacity", pair(node.getCapacity().getNetworkUlMbps(), node.getCapacity().getNetworkDlMbps()));
    summary.put("networkUsed", pair(node.getUsed().getNetworkUlMbps(), node.getUsed().getNetworkDlMbps()));
    summary.put("networkRemaining", pair(node.getRemaining().getNetworkUlMbps(), node.getRemaining().getNetworkDlMbps()));
    summary.put("localCapacity", pair(node.getCapacity().getLocalUlMbps(), node.getCapacity().getLocalDlMbps()));
    summary.put("localUsed", pair(node.getUsed().getLocalUlMbps(), node.getUsed().getLocalDlMbps()));
    summary.put("localRemaining", pair(node.getRemaining().getLocalUlMbps(), node.getRemaining().getLocalDlMbps()));
    summary.put("reservations", node.getReservations().size());
    Traffic traffic = node.getTraffic();
    if (traffic != null) {
      summary.put("measured", measured(node));
      summary.put("utilisation", traffic.getMeasured() == null ? "unknown"
          : percent(traffic.getUtilisation().getUl()) + "/" + percent(traffic.getUtilisation().getDl()));
    }
    return summary;
  }

  /** Measured Mbit/s up/down to one decimal, or {@code unknown}: what {@code -o wide} shows beside the reserved. */
  public static String measured(NodeBandwidth node) {
    Traffic traffic = node.getTraffic();
    if (traffic == null) {
      return "";
    }
    return traffic.getMeasured() == null ? "unknown" : rounded(traffic.getMeasured().getUl(), 1).toPlainString() + "/"
        + rounded(traffic.getMeasured().getDl(), 1).toPlainString();
  }

  private static String percent(double fraction) {
    return rounded(fraction * 100, 0).toPlainString() + "%";
  }

  private static String pair(long ulMbps, long dlMbps) {
    return ulMbps + "/" + dlMbps;
  }

  /** One reservation as the status lists it. */
  public ObjectNode reservation(Reservation r) {
    ObjectNode out = json.createObjectNode();
    out.put("podName", r.getPodName());
    out.put("namespace", r.getNamespace());
    out.put("podUid", r.getPodUid());
    out.put("ip", r.getPodIp() == null ? "" : r.getPodIp());
    out.put("deploymentType", r.getController() == null ? "" : r.getController().getKind());
    out.put("deploymentName", r.getController() == null ? "" : r.getController().getName());
    out.put("deploymentUid", r.getController() == null ? "" : r.getController().getUid());
    ObjectNode bandwidth = out.putObject("bandwidth");
    link(bandwidth.putObject("local"), r.getUlMbps(), r.getDlMbps());
    link(bandwidth.putObject("network"), r.getLinkLocal() ? 0 : r.getUlMbps(), r.getLinkLocal() ? 0 : r.getDlMbps());
    out.put("state", switch (r.getState()) {
      case ACTIVE -> "Active";
      case INVALID -> "Invalid";
      case ASSUMED -> "Assumed";
    });
    if (r.getReason() != null) {
      out.put("reason", r.getReason());
    }
    return out;
  }

  /** Figures per dimension: local and network, uplink and downlink. */
  public ObjectNode figures(LinkFigures f) {
    ObjectNode out = json.createObjectNode();
    link(out.putObject("local"), f.getLocalUlMbps(), f.getLocalDlMbps());
    link(out.putObject("network"), f.getNetworkUlMbps(), f.getNetworkDlMbps());
    return out;
  }

  private ObjectNode specCapacity(CapacitySpec spec) {
    ObjectNode out = json.createObjectNode();
    if (spec == null) {
      return out;
    }
    ObjectNode local = json.createObjectNode();
    putIfSet(local, "ulMbps", spec.getLocalUlMbps());
    putIfSet(local, "dlMbps", spec.getLocalDlMbps());
    ObjectNode network = json.createObjectNode();
    putIfSet(network, "ulMbps", spec.getNetworkUlMbps());
    putIfSet(network, "dlMbps", spec.getNetworkDlMbps());
    if (!local.isEmpty()) {
      out.set("local", local);
    }
    if (!network.isEmpty()) {
      out.set("network", network);
    }
    return out;
  }

  private static void link(ObjectNode out, long ulMbps, long dlMbps) {
    out.put("ulMbps", ulMbps);
    out.put("dlMbps", dlMbps);
  }

  private static void putIfSet(ObjectNode out, String field, Long value) {
    if (value != null) {
      out.put(field, value);
    }
  }
}
