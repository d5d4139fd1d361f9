package org.bwledger.projector.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import org.bwledger.runtime.auth.Access;
import org.bwledger.runtime.http.Reply;
import org.bwledger.runtime.http.Router;

/**
 * The dashboard at {@code /ui/}: a page and its scripts, which ask the REST API for everything they
 * show, with the caller's token when the API asks for one. The files hold no data, so they are
 * served to anyone; the charting library (uPlot) comes from its WebJar in this process, never from a
 * CDN, so the dashboard works in a lab without Internet.
 */
public final class Dashboard {

  /** What the page may load: its own files and the API, nothing from elsewhere. */
  private static final String POLICY = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
  private static final String UPLOT = "/META-INF/resources/webjars/uplot/" + webJarVersion("uplot") + "/dist/";

  /** Each file, by its path under {@code /ui/}, with its content type. */
  private static final Map<String, Asset> ASSETS = Map.of(
      "", asset("/dashboard/index.html", "text/html; charset=utf-8"),
      "app.js", asset("/dashboard/app.js", "text/javascript; charset=utf-8"),
      "style.css", asset("/dashboard/style.css", "text/css; charset=utf-8"),
      "vendor/uPlot.iife.min.js", asset(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
      "vendor/uPlot.min.css", asset(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"));

  private record Asset(String contentType, byte[] body) {}

  private Dashboard() {}

  /** Serves the dashboard on {@code router}: {@code /ui} sends the browser to {@code /ui/}. */
  public static Router addTo(Router router) {
    return router.get("/ui/*", Access.OPEN, call -> {
      if (call.path().equals("/ui")) {
        return Reply.text(308, "/ui/\n").withHeader("Location", "/ui/");
      }
      Asset asset = ASSETS.get(call.path().substring("/ui/".length()));
      if (asset == null) {
        return router.error(404, "no such path: " + call.path());
      }
      return Reply.of(200, asset.contentType(), asset.body())
          .withHeader("Cache-Control", "no-cache")
          .withHeader("Content-Security-Policy", POLICY)
          .withHeader("X-Content-Type-Options", "nosniff");
    });
  }

  /** The version of a WebJar on the class path, as its Maven properties say. */
  private static String webJarVersion(String name) {
    Properties properties = new Properties();
    try (InputStream in = Dashboard.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/" + name
        + "/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the WebJar " + name + " is not on the class path");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }

  private static Asset asset(String resource, String contentType) {
    try (InputStream in = Dashboard.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard's " + resource + " is not on the class path");
      }
      return new Asset(contentType, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
