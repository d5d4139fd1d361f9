package org.bwledger.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The tables an API server prints for the built-in kinds the simulated API holds: what
 * {@code kubectl get nodes}, {@code get pods} and {@code get namespaces} show on a real cluster,
 * {@code -o wide} columns included; and the table of any other kind (name and creation time).
 */
final class BuiltinTables {

  private static final String NONE = "<none>";
  private static final String UNKNOWN = "<unknown>";
  private static final String AGE = "CreationTimestamp is a timestamp representing the server time when this object "
      + "was created.";

  static final TableConverter NODES = new TableConverter.Builder()
      .column("Status", "string", "The status of the node", 0, (node, now) -> nodeStatus(node))
      .column("Roles", "string", "The roles of the node", 0, (node, now) -> nodeRoles(node))
      .column("Age", "string", AGE, 0, (node, now) -> Age.since(node.path("metadata").path("creationTimestamp"), now))
      .column("Version", "string", "Kubelet Version reported by the node.", 0,
          (node, now) -> node.path("status").path("nodeInfo").path("kubeletVersion").asText(""))
      .column("Internal-IP", "string", "List of addresses reachable to the node.", 1,
          (node, now) -> address(node, "InternalIP"))
      .column("External-IP", "string", "List of addresses reachable to the node.", 1,
          (node, now) -> address(node, "ExternalIP"))
      .column("OS-Image", "string", "OS Image reported by the node from /etc/os-release.", 1,
          (node, now) -> node.path("status").path("nodeInfo").path("osImage").asText(UNKNOWN))
      .column("Kernel-Version", "string", "Kernel Version reported by the node.", 1,
          (node, now) -> node.path("status").path("nodeInfo").path("kernelVersion").asText(UNKNOWN))
      .column("Container-Runtime", "string", "ContainerRuntime Version reported by the node.", 1,
          (node, now) -> node.path("status").path("nodeInfo").path("containerRuntimeVersion").asText(UNKNOWN))
      .build();

  static final TableConverter PODS = new TableConverter.Builder()
      .column("Ready", "string", "The aggregate readiness state of this pod for accepting traffic.", 0,
          (pod, now) -> readyContainers(pod) + "/" + pod.path("spec").path("containers").size())
      .column("Status", "string", "The aggregate status of the containers in this pod.", 0,
          (pod, now) -> podStatus(pod))
      .column("Restarts", "string", "The number of times the containers in this pod have been restarted.", 0,
          (pod, now) -> String.valueOf(restarts(pod)))
      .column("Age", "string", AGE, 0, (pod, now) -> Age.since(pod.path("metadata").path("creationTimestamp"), now))
      .column("IP", "string", "IP address allocated to the pod.", 1,
          (pod, now) -> pod.path("status").path("podIP").asText(NONE))
      .column("Node", "string", "Name of the Node this pod is bound to.", 1,
          (pod, now) -> pod.path("spec").path("nodeName").asText(NONE))
      .column("Nominated Node", "string", "Name of the node the scheduler nominated for this pod.", 1,
          (pod, now) -> pod.path("status").path("nominatedNodeName").asText(NONE))
      .column("Readiness Gates", "string", "The readiness gates of this pod.", 1,
          (pod, now) -> pod.path("spec").path("readinessGates").isEmpty() ? NONE
              : pod.path("spec").path("readinessGates").size() + "")
      .build();

  static final TableConverter NAMESPACES = new TableConverter.Builder()
      .column("Status", "string", "The status of the namespace", 0,
          (namespace, now) -> namespace.path("status").path("phase").asText("Active"))
      .column("Age", "string", AGE, 0,
          (namespace, now) -> Age.since(namespace.path("metadata").path("creationTimestamp"), now))
      .build();

  static final TableConverter LEASES = new TableConverter.Builder()
      .column("Holder", "string", "The holder of the lease", 0,
          (lease, now) -> lease.path("spec").path("holderIdentity").asText(""))
      .column("Age", "string", AGE, 0, (lease, now) -> Age.since(lease.path("metadata").path("creationTimestamp"), now))
      .build();

  /** Any other kind: what an API server's default table convertor gives. */
  static final TableConverter BY_CREATION = new TableConverter.Builder()
      .column("Created At", "date", AGE, 0,
          (object, now) -> object.path("metadata").path("creationTimestamp").asText(null))
      .build();

  private BuiltinTables() {}

  private static String nodeStatus(JsonNode node) {
    String status = switch (condition(node, "Ready")) {
      case "True" -> "Ready";
      case "False" -> "NotReady";
      default -> "Unknown";
    };
    return node.path("spec").path("unschedulable").asBoolean() ? status + ",SchedulingDisabled" : status;
  }

  private static String condition(JsonNode object, String type) {
    for (JsonNode condition : object.path("status").path("conditions")) {
      if (type.equals(condition.path("type").asText())) {
        return condition.path("status").asText(UNKNOWN);
      }
    }
    return UNKNOWN;
  }

  /** The roles a node's labels give it: {@code node-role.kubernetes.io/<role>} and {@code kubernetes.io/role}. */
  private static String nodeRoles(JsonNode node) {
    TreeSet<String> roles = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> labels = node.path("metadata").path("labels").fields(); labels.hasNext();) {
      Map.Entry<String, JsonNode> label = labels.next();
      if (label.getKey().startsWith("node-role.kubernetes.io/")) {
        String role = label.getKey().substring("node-role.kubernetes.io/".length());
        if (!role.isEmpty()) {
          roles.add(role);
        }
      } else if (label.getKey().equals("kubernetes.io/role") && !label.getValue().asText().isEmpty()) {
        roles.add(label.getValue().asText());
      }
    }
    return roles.isEmpty() ? NONE : String.join(",", roles);
  }

  private static String address(JsonNode node, String type) {
    List<String> addresses = new ArrayList<>();
    for (JsonNode address : node.path("status").path("addresses")) {
      if (type.equals(address.path("type").asText())) {
        addresses.add(address.path("address").asText());
      }
    }
    return addresses.isEmpty() ? NONE : String.join(",", addresses);
  }

  private static long readyContainers(JsonNode pod) {
    long ready = 0;
    for (JsonNode container : pod.path("status").path("containerStatuses")) {
      if (container.path("ready").asBoolean()) {
        ready++;
      }
    }
    return ready;
  }

  private static long restarts(JsonNode pod) {
    long restarts = 0;
    for (JsonNode container : pod.path("status").path("containerStatuses")) {
      restarts += container.path("restartCount").asLong();
    }
    return restarts;
  }

  /** The phase, unless the pod is being deleted or its status gives a reason. */
  private static String podStatus(JsonNode pod) {
    if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
      return "Terminating";
    }
    if (pod.path("status").hasNonNull("reason")) {
      return pod.path("status").path("reason").asText();
    }
    return pod.path("status").path("phase").asText("Pending");
  }
}
