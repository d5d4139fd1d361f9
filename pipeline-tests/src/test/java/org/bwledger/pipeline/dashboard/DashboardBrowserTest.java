package org.bwledger.pipeline.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bwledger.pipeline.Pipeline;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real browser (Debian's headless Chromium) against the whole pipeline: every
 * node's bars carry the REST API's figures, an oversubscribed node is marked, a node's page lists its
 * reservations and charts its history, a change appears without a reload, and the slider shows the
 * cluster as {@code ?at=} gives it. Screenshots go to {@code target/dashboard/} for a person to see.
 */
@WithKafka
class DashboardBrowserTest {

  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final String EGRESS = "kubernetes.io/egress-bandwidth";
  private static final List<String> NODES = List.of("ui-a", "ui-b", "ui-c");
  private static final Path SCREENSHOTS = Path.of("target", "dashboard");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path stateDir;

  private static MockCluster cluster;
  private static Pipeline pipeline;
  private static ChromeDriver browser;
  private static String api;

  @BeforeAll
  static void start(TestKafka kafka) throws Exception {
    assertThat(new File(CHROMIUM).canExecute()).as(CHROMIUM + " (Debian's chromium; bin/test installs it)").isTrue();
    assertThat(new File(CHROMEDRIVER).canExecute())
        .as(CHROMEDRIVER + " (Debian's chromium-driver; bin/test installs it)").isTrue();
    cluster = new MockCluster();
    pipeline = new Pipeline(kafka, cluster, "ui.", stateDir);
    api = "http://127.0.0.1:" + pipeline.projector().listeners().apiPort();
    NODES.forEach(node -> cluster.createNode(node, Map.of()));
    // iperf spreads over two nodes, so its pods are charged to network: 1400 of ui-a's 1000 Mbit/s.
    cluster.createPod("ui", "iperf-0", "ui-a", "iperf", Map.of(EGRESS, "700M"));
    cluster.createPod("ui", "iperf-1", "ui-a", "iperf", Map.of(EGRESS, "700M"));
    cluster.createPod("ui", "iperf-2", "ui-c", "iperf", Map.of(EGRESS, "100M"));
    cluster.createPod("ui", "probe", "ui-a", null, Map.of(EGRESS, "10Mbps"));
    cluster.createPod("ui", "web-0", "ui-b", "web", Map.of(EGRESS, "200M"));
    await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
      JsonNode items = rest("/api/v1/nodes").path("items");
      return items.size() == NODES.size() && items.get(0).path("reservations").asInt() == 3
          && items.get(1).path("reservations").asInt() == 1;
    });

    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--window-size=1400,1000",
        "--user-data-dir=" + Files.createTempDirectory(stateDir, "chromium"));
    browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
        .build(), options);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    pipeline.close();
    cluster.close();
  }

  @Test
  void theDashboardShowsTheBooksLiveAndAsTheyWere() throws Exception {
    browser.get(api + "/ui/");
    eventually(() -> barsMatch(rest("/api/v1/nodes")));
    Object firstPaint = js("return performance.getEntriesByType('paint')"
        + ".filter(e => e.name === 'first-contentful-paint').map(e => Math.round(e.startTime))[0]");
    System.out.printf("Dashboard first contentful paint: %s ms%n", firstPaint);
    // A bind the extender refuses (ui-a has no network room) shows in its panel.
    cluster.createPod("ui", "big", "", "big", Map.of(EGRESS, "900M"));
    String uid = cluster.client().pods().inNamespace("ui").withName("big").get().getMetadata().getUid();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> HTTP.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + pipeline.projector().extenderPort() + "/scheduler/bind"))
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("PodName", "big", "PodNamespace", "ui",
            "PodUID", uid, "Node", "ui-a")))).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    eventually(() -> assertThat(browser.findElement(By.cssSelector("#extender tr[data-refusal='ui/big']")).getText())
        .contains("ui-a", "network-ul needs 900 Mbit/s"));
    screenshot("cluster.png");
    eventually(() -> {
      assertThat(card("ui-a").getAttribute("class")).contains("over");
      assertThat(card("ui-a").findElement(By.className("badge")).getText()).isEqualToIgnoringCase("oversubscribed");
      assertThat(card("ui-b").getAttribute("class")).doesNotContain("over");
      assertThat(card("ui-b").findElements(By.className("badge"))).isEmpty();
    });

    eventually(() -> card("ui-a").findElement(By.tagName("a")).click());
    eventually(() -> {
      assertThat(browser.findElements(By.cssSelector("tr[data-pod]"))).extracting(row -> row.getAttribute("data-pod"))
          .containsExactlyInAnyOrder("ui/iperf-0", "ui/iperf-1", "ui/probe");
      assertThat(browser.findElements(By.cssSelector("#chart canvas"))).isNotEmpty();
      String invalid = browser.findElement(By.cssSelector("tr[data-pod='ui/probe']")).getText();
      assertThat(invalid).contains("Invalid", "10Mbps").doesNotContain("ReplicaSet");
    });
    screenshot("node.png");

    eventually(() -> browser.findElement(By.linkText("← all nodes")).click());
    await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElements(By.cssSelector("article[data-node]"))
        .size() == NODES.size());
    js("window.notReloaded = true");
    Instant before = Instant.now();
    Thread.sleep(1_000); // the change must come later than the instant the slider goes back to
    cluster.createPod("ui", "web-1", "ui-b", "web", Map.of(EGRESS, "300M"));
    eventually(() -> {
      assertThat(bar("ui-b", "local-ul").getAttribute("data-used")).isEqualTo("500"); // web is link-local
      barsMatch(rest("/api/v1/nodes"));
    });
    assertThat(js("return window.notReloaded === true")).isEqualTo(true);

    new Select(browser.findElement(By.id("window"))).selectByValue("300");
    long span = Duration.ofMinutes(5).toMillis();
    long position = Math.round((1 - (double) (Instant.now().toEpochMilli() - before.toEpochMilli()) / span) * 1000);
    js("const s = document.getElementById('slider'); s.value = arguments[0];"
        + "s.dispatchEvent(new Event('change'));", position);
    eventually(() -> {
      String at = browser.findElement(By.id("as-of")).getAttribute("data-at");
      assertThat(at).isNotEmpty();
      assertThat(browser.findElement(By.id("as-of")).getText()).contains("as of " + at, "event ");
      barsMatch(rest("/api/v1/nodes?at=" + URLEncoder.encode(at, StandardCharsets.UTF_8)));
      assertThat(bar("ui-b", "local-ul").getAttribute("data-used")).isEqualTo("200");
    });
    screenshot("at.png");
  }

  /**
   * Asserts until it holds: the page redraws what changed every two seconds, so an element read a
   * moment ago may be gone.
   */
  private static void eventually(ThrowingRunnable check) {
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(check);
  }

  /** Every node's four bars carry the figures of the REST API's answer. */
  private static void barsMatch(JsonNode answer) {
    assertThat(browser.findElements(By.cssSelector("article[data-node]"))).hasSize(answer.path("items").size());
    for (JsonNode node : answer.path("items")) {
      for (String kind : List.of("network", "local")) {
        for (String direction : List.of("ul", "dl")) {
          WebElement bar = bar(node.path("name").asText(), kind + "-" + direction);
          String field = direction + "Mbps";
          assertThat(bar.getAttribute("data-capacity"))
              .isEqualTo(node.path("capacity").path(kind).path(field).asText());
          assertThat(bar.getAttribute("data-used")).isEqualTo(node.path("used").path(kind).path(field).asText());
          assertThat(bar.getAttribute("data-remaining")).isEqualTo(node.path("remaining").path(kind).path(field)
              .asText());
        }
      }
    }
  }

  private static WebElement card(String node) {
    return browser.findElement(By.cssSelector("article[data-node='" + node + "']"));
  }

  private static WebElement bar(String node, String dimension) {
    return card(node).findElement(By.cssSelector(".bar[data-dim='" + dimension + "']"));
  }

  private static Object js(String script, Object... arguments) {
    return ((JavascriptExecutor) browser).executeScript(script, arguments);
  }

  private static void screenshot(String name) throws Exception {
    Files.write(SCREENSHOTS.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private static JsonNode rest(String path) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
