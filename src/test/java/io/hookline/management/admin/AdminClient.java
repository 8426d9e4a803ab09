package io.hookline.management.admin;

import io.hookline.cli.EventSigner;
import io.hookline.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The admin API over real HTTP, plus signed GitHub posts to the node's public port (source "gh"). */
final class AdminClient {
  static final String TOKEN = "admin-test-token-0123456789";
  static final String SECRET = "admin-test-github-secret";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final TestNode node;

  AdminClient(TestNode node) {
    this.node = node;
  }

  /** The node's env: the admin token (TestNode writes the management section itself). */
  static Map<String, String> env(String... more) {
    java.util.HashMap<String, String> env = new java.util.HashMap<>();
    env.put("HOOKLINE_MANAGEMENT_ADMIN_TOKEN", TOKEN);
    for (int i = 0; i + 1 < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  HttpResponse<String> send(String method, String pathAndQuery, String authorization, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.managementUrl() + pathAndQuery))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> get(String pathAndQuery) {
    return send("GET", pathAndQuery, "Bearer " + TOKEN, null);
  }

  HttpResponse<String> post(String path, String body) {
    return send("POST", path, "Bearer " + TOKEN, body);
  }

  /** GET that must answer 200; its JSON. */
  JsonObject ok(String pathAndQuery) {
    HttpResponse<String> r = get(pathAndQuery);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + pathAndQuery + " answered " + r.statusCode() + " " + r.body());
    }
    return new JsonObject(r.body());
  }

  /** Posts a GitHub-signed event; returns the Hookline event id. */
  String webhook(String deliveryId, String type, byte[] body) {
    return webhook("gh", deliveryId, type, body);
  }

  String webhook(String source, String deliveryId, String type, byte[] body) {
    Map<String, String> headers = new java.util.HashMap<>(EventSigner.sign("github", SECRET, body, deliveryId, 0));
    headers.put("X-GitHub-Event", type);
    HttpResponse<String> r = node.post(source, body, headers);
    if (r.statusCode() != 200) {
      throw new AssertionError("webhook answered " + r.statusCode() + " " + r.body());
    }
    return new JsonObject(r.body()).getString("id");
  }

  String webhook(String deliveryId, String type) {
    return webhook(deliveryId, type, ("{\"delivery\":\"" + deliveryId + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  static void eventually(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within 30 s: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
