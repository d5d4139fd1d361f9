package org.bwledger.kube.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.event.Owner;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;
import org.bwledger.schemas.state.ReservationState;
import org.bwledger.schemas.state.Traffic;
import org.bwledger.schemas.state.TrafficFigures;
import org.junit.jupiter.api.Test;

/** The shipped CRD is what DESIGN §5 says, and what the projector writes fits its schema, field for field. */
class BandwidthCrdTest {

  private final ObjectMapper json = new ObjectMapper();
  private final CustomResourceDefinition crd = BandwidthCrd.definition();

  @Test
  void theDefinitionIsClusterScopedWithStatusSubresourceShortNameAndPrinterColumns() {
    assertThat(crd.getMetadata().getName()).isEqualTo("bandwidths.networking.vaclab.org");
    assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("bw");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("Bandwidth");
    CustomResourceDefinitionVersion v1 = crd.getSpec().getVersions().get(0);
    assertThat(v1.getName()).isEqualTo("v1");
    assertThat(v1.getSubresources().getStatus()).isNotNull();
    assertThat(v1.getAdditionalPrinterColumns())
        .filteredOn(column -> column.getPriority() == null || column.getPriority() == 0)
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Net-Capacity", "Net-Used", "Net-Remaining", "Local-Used", "Reservations", "Oversubscribed",
            "Age");
    assertThat(v1.getAdditionalPrinterColumns()).extracting(CustomResourceColumnDefinition::getJsonPath)
        .contains(".status.conditions[?(@.type==\"Oversubscribed\")].status", ".metadata.creationTimestamp");
  }

  @Test
  void everyPrinterColumnPointsAtAFieldTheProjectorWrites() {
    JsonNode object = objectAsWritten();
    for (CustomResourceColumnDefinition column : crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns()) {
      String path = column.getJsonPath();
      if (path.startsWith(".metadata") || path.contains("[?(")) {
        continue;
      }
      JsonNode value = object.at(path.replace('.', '/'));
      assertThat(value.isMissingNode()).as("%s at %s", column.getName(), path).isFalse();
    }
  }

  @Test
  void aBandwidthObjectAsTheProjectorWritesItFitsTheSchemaWithNoFieldLeftOut() throws Exception {
    JsonNode schema = strict(json.valueToTree(
        crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()));
    JsonSchema validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);

    Set<ValidationMessage> problems = validator.validate(objectAsWritten());

    assertThat(problems).isEmpty();
  }

  @Test
  void theStatusShowsMeasuredTrafficBesideTheReservationsRounded() {
    JsonNode status = objectAsWritten().path("status");

    assertThat(status.at("/summary/measured").asText()).isEqualTo("420.5/33.2");
    assertThat(status.at("/summary/utilisation").asText()).isEqualTo("84%/7%");
    assertThat(status.at("/traffic/state").asText()).isEqualTo("Measured");
    assertThat(status.at("/traffic/measured/ulMbps").decimalValue()).isEqualByComparingTo("420.50");
    assertThat(status.at("/traffic/utilisation/dl").decimalValue()).isEqualByComparingTo("0.0665");
    assertThat(status.at("/traffic/drift/ulMbps").decimalValue()).isEqualByComparingTo("-179.50");
    assertThat(status.at("/traffic/headroom/dlMbps").decimalValue()).isEqualByComparingTo("466.75");
    assertThat(status.at("/traffic/intervalSeconds").decimalValue()).isEqualByComparingTo("10");
    assertThat(status.at("/traffic/measuredAt").asText()).isEqualTo("2026-11-23T10:00:04Z");
  }

  @Test
  void unknownTrafficShowsNoFiguresButWhenItWasLastSampled() {
    NodeBandwidth node = minimal();
    node.setTraffic(new Traffic(null, Instant.parse("2026-11-23T10:00:04Z"), 0L, "simulated", null, null, null));
    JsonNode status = new BandwidthObjects(json).status(node);

    assertThat(status.at("/traffic/state").asText()).isEqualTo("Unknown");
    assertThat(status.at("/traffic/measured").isMissingNode()).isTrue();
    assertThat(status.at("/summary/measured").asText()).isEqualTo("unknown");
    assertThat(status.at("/summary/utilisation").asText()).isEqualTo("unknown");
  }

  private static NodeBandwidth minimal() {
    LinkFigures none = new LinkFigures(0L, 0L, 0L, 0L);
    return new NodeBandwidth("worker-2", null, new LinkFigures(1L, 1L, 1L, 1L), none, new LinkFigures(1L, 1L, 1L, 1L),
        List.of(), List.of(), null, Instant.parse("2026-11-23T10:00:05Z"), "e-43", null);
  }

  @Test
  void theStrictSchemaCatchesAFieldItDoesNotDeclare() {
    JsonNode schema = strict(json.valueToTree(
        crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()));
    ObjectNode object = (ObjectNode) objectAsWritten();
    ((ObjectNode) object.get("status")).put("undeclared", 1);

    assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema).validate(object))
        .isNotEmpty();
  }

  /**
   * A node with every optional field set: an invalid reservation, a link-local one, a spec,
   * oversubscription, measured traffic.
   */
  private JsonNode objectAsWritten() {
    NodeBandwidth node = NodeBandwidth.newBuilder()
        .setNode("worker-1")
        .setSpec(new CapacitySpec(null, null, 500L, 500L))
        .setCapacity(new LinkFigures(20_000L, 20_000L, 500L, 500L))
        .setUsed(new LinkFigures(700L, 20L, 600L, 0L))
        .setRemaining(new LinkFigures(19_300L, 19_980L, -100L, 500L))
        .setReservations(List.of(
            new Reservation("u1", "lab", "gossip-0", "10.0.0.1", new Owner("StatefulSet", "gossip", "s1"),
                ReservationState.ACTIVE, null, 100L, 20L, true),
            new Reservation("u2", "lab", "iperf", null, null, ReservationState.ACTIVE, null, 600L, 0L, false),
            new Reservation("u3", "lab", "typo", null, null, ReservationState.INVALID,
                "kubernetes.io/egress-bandwidth: \"10Mbps\" is not a Kubernetes quantity", 0L, 0L, false)))
        .setOversubscribed(List.of("network-ul"))
        .setOversubscribedSince(Instant.parse("2026-11-23T10:00:00Z"))
        .setUpdatedAt(Instant.parse("2026-11-23T10:00:05Z"))
        .setLastEventId("e-42")
        .setTraffic(new Traffic(new TrafficFigures(420.5, 33.25), Instant.parse("2026-11-23T10:00:04Z"), 10_000L,
            "node-exporter http://10.0.0.5:9100/metrics", new TrafficFigures(0.841, 0.0665),
            new TrafficFigures(-179.5, 33.25), new TrafficFigures(-100.0, 466.75)))
        .build();
    ObjectNode object = new BandwidthObjects(json).bandwidth(node);
    ((ObjectNode) object.get("status")).put("observedGeneration", 3);
    return object;
  }

  /**
   * The CRD's schema with undeclared fields refused: Kubernetes would silently prune them, so a field
   * the projector writes but the CRD lacks would be lost without this check.
   */
  private static JsonNode strict(JsonNode schema) {
    if (schema.isObject()) {
      ObjectNode object = (ObjectNode) schema;
      if (object.has("properties") && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
          && !object.has("additionalProperties")) {
        object.put("additionalProperties", false);
      }
      for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
        strict(fields.next().getValue());
      }
    } else if (schema.isArray()) {
      schema.forEach(BandwidthCrdTest::strict);
    }
    return schema;
  }
}
