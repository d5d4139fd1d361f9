package org.bwledger.simulator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store's history of changes: what a watch from a resourceVersion gets, and when it is too late. */
class ObjectStoreTest {

  private final ObjectMapper json = new ObjectMapper();
  private final ObjectStore store = new ObjectStore(json, new ApiResources(json), 3);

  @Test
  void aWatchFromAForgottenResourceVersionIsExpiredAndOneFromAKeptOneResumes() throws Exception {
    long first = resourceVersion(create("n1"));
    create("n2");
    create("n3");
    create("n4");
    create("n5"); // three kept: n3, n4, n5

    assertThatThrownBy(() -> store.watch("/api/v1/nodes", String.valueOf(first), event -> { }))
        .isInstanceOf(ObjectStore.ExpiredException.class).hasMessageContaining("too old resource version");
    List<String> resumed = new ArrayList<>();
    long third = resourceVersion(store.handleGet("/api/v1/nodes/n3"));
    try (var watch = store.watch("/api/v1/nodes", String.valueOf(third - 1), event -> resumed.add(event.type() + " "
        + name(event.object())))) {
      store.handleDelete("/api/v1/nodes/n4");
    }
    assertThat(resumed).containsExactly("ADDED n3", "ADDED n4", "ADDED n5", "DELETED n4");
  }

  @Test
  void aDeletionIsAChangeWithAResourceVersionOfItsOwn() throws Exception {
    long created = resourceVersion(create("n1"));
    List<Long> deletedAt = new ArrayList<>();
    try (var watch = store.watch("/api/v1/nodes", String.valueOf(created), event ->
        deletedAt.add(field(event.object(), "resourceVersion")))) {
      store.handleDelete("/api/v1/nodes/n1");
    }
    assertThat(deletedAt).singleElement().satisfies(version -> assertThat(version).isGreaterThan(created));
  }

  @Test
  void aResourceVersionThisServerNeverGaveIsRefused() {
    assertThatThrownBy(() -> store.watch("/api/v1/nodes", "yesterday", event -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("yesterday");
  }

  private MockResponse create(String node) {
    MockResponse created = store.handleCreate(new RecordedRequest("HTTP/1.1", HttpMethod.POST, "/api/v1/nodes",
        Headers.builder().add("Content-Type", "application/json").build(), new Buffer((
            "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + node + "\"}}")
            .getBytes(StandardCharsets.UTF_8))));
    assertThat(created.code()).isEqualTo(201);
    return created;
  }

  private long resourceVersion(MockResponse response) throws Exception {
    return json.readTree(response.getBody().getBytes()).path("metadata").path("resourceVersion").asLong();
  }

  private String name(String object) {
    return metadata(object).path("name").asText();
  }

  private long field(String object, String name) {
    return metadata(object).path(name).asLong();
  }

  private com.fasterxml.jackson.databind.JsonNode metadata(String object) {
    try {
      return json.readTree(object).path("metadata");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
