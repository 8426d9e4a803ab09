package io.hookline.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hookline.cli.EventSigner;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs deploy/nginx.conf itself (only the upstream servers, the listen port and the log paths are
 * replaced) in front of two real nodes: requests are spread over both, and when one node drains or
 * stops, nginx re-sends to the other, so senders see only 200s. Needs the nginx binary (CI installs
 * it); skipped where there is none.
 */
class NginxLoadBalancerTest {
  static final String SECRET = "nginx-test-secret";

  @TempDir
  Path dir;

  static Path nginx() {
    for (String p : new String[] {"/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx", "/usr/local/nginx/sbin/nginx"}) {
      if (Files.isExecutable(Path.of(p))) {
        return Path.of(p);
      }
    }
    return null;
  }

  /** deploy/nginx.conf with test upstreams, port and log paths; everything else as shipped. */
  static String testConfig(String shipped, int listenPort, int[] nodePorts, Path dir) {
    Matcher upstream = Pattern.compile("(upstream hookline \\{)(.*?)(\n    })", Pattern.DOTALL).matcher(shipped);
    assertThat(upstream.find()).as("deploy/nginx.conf has an 'upstream hookline' block").isTrue();
    String servers = upstream.group(2).replaceAll("(?m)^\\s*server \\S+ ", "");
    assertThat(upstream.group(2)).as("several nodes in the shipped config")
        .containsPattern("(?s)server .*server .*server ");
    StringBuilder ours = new StringBuilder();
    for (int port : nodePorts) {
      ours.append("\n        server 127.0.0.1:").append(port).append(" max_fails=3 fail_timeout=5s;");
    }
    String body = upstream.group(2).replaceAll("(?m)^\\s*server [^\n]*\n?", "");
    String conf = shipped.substring(0, upstream.start(2)) + ours + "\n" + body + shipped.substring(upstream.end(2));
    assertThat(servers).isNotNull();
    conf = conf.replaceFirst("listen 80;", "listen 127.0.0.1:" + listenPort + ";")
        .replaceAll("access_log \\S+", "access_log " + dir.resolve("access.log"));
    return conf;
  }

  @Test
  void spreadsOverNodesHidesADrainingOrStoppedNodeAndAnswers503WhenNoneCan() throws Exception {
    Path nginx = nginx();
    assumeTrue(nginx != null, "nginx is not installed");
    String sources = """
        sources:
          - id: gh
            provider: github
            secrets: ["%s"]
        """.formatted(SECRET);
    TestNode a = TestNode.start(sources);
    TestNode b = TestNode.start(sources);
    int port = TestServices.freePort();
    String conf = testConfig(Files.readString(Path.of("deploy", "nginx.conf")), port,
        new int[] {a.hookline.httpPort(), b.hookline.httpPort()}, dir);
    Path confFile = dir.resolve("nginx.conf");
    Files.writeString(confFile, conf);
    Files.createDirectories(dir.resolve("logs"));
    Process proc = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", confFile.toString(),
        "-g", "daemon off; master_process on; pid " + dir.resolve("nginx.pid") + "; error_log " + dir.resolve("error.log") + " warn;")
        .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
    try {
      awaitPort(port, proc);
      int total = 40;
      for (int i = 0; i < total; i++) {
        RawHttp.Result r = send(port, "lb-" + System.nanoTime());
        assertThat(r.status()).as(r.body() + " " + r.error()).isEqualTo(200);
        assertThat(r.header("X-Request-Id")).isNotBlank();
      }
      long onA = a.count("SELECT count(*) FROM {schema}.events");
      long onB = b.count("SELECT count(*) FROM {schema}.events");
      assertThat(onA + onB).isEqualTo(total);
      assertThat(onA).as("node A got some").isPositive();
      assertThat(onB).as("node B got some").isPositive();

      // The sender's X-Request-Id goes through to Hookline and back.
      Map<String, String> h = new HashMap<>();
      h.put("X-Request-Id", "lb-trace-7");
      RawHttp.Result traced = RawHttp.post(port, "/webhooks/gh", h, "{}".getBytes(StandardCharsets.UTF_8), 10_000);
      assertThat(traced.status()).isEqualTo(400);
      assertThat(traced.header("X-Request-Id")).isEqualTo("lb-trace-7");

      // A draining node answers 503: nginx re-sends the POST to the other node.
      a.hookline.node().startDraining();
      long bBefore = b.count("SELECT count(*) FROM {schema}.events");
      for (int i = 0; i < 20; i++) {
        RawHttp.Result r = send(port, "lb-drain-" + System.nanoTime());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
      }
      assertThat(b.count("SELECT count(*) FROM {schema}.events") - bBefore).isEqualTo(20);

      // A stopped node refuses connections: nginx goes to the other node.
      a.close();
      a = null;
      for (int i = 0; i < 20; i++) {
        RawHttp.Result r = send(port, "lb-stop-" + System.nanoTime());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
      }
      assertThat(b.count("SELECT count(*) FROM {schema}.events") - bBefore).isEqualTo(40);
      assertThat(Files.readString(dir.resolve("access.log"))).contains("rid=lb-trace-7");

      // No node can answer: nginx answers as a node would (503 + Retry-After, reason unavailable),
      // not with its own 502, so providers retry later.
      b.close();
      b = null;
      RawHttp.Result none = send(port, "lb-none-" + System.nanoTime());
      assertThat(none.status()).as(none.body()).isEqualTo(503);
      assertThat(none.header("Retry-After")).isEqualTo("5");
      assertThat(none.body()).contains("\"reason\":\"unavailable\"");
    } finally {
      proc.destroy();
      proc.waitFor(10, TimeUnit.SECONDS);
      proc.destroyForcibly();
      if (a != null) {
        a.close();
      }
      if (b != null) {
        b.close();
      }
    }
  }

  static RawHttp.Result send(int port, String delivery) {
    byte[] body = ("{\"zen\":\"lb\",\"d\":\"" + delivery + "\"}").getBytes(StandardCharsets.UTF_8);
    RawHttp.Result r = RawHttp.post(port, "/webhooks/gh",
        EventSigner.sign("github", SECRET, body, delivery, System.currentTimeMillis() / 1000), body, 30_000);
    assertThat(r.kind()).as(String.valueOf(r.error())).isEqualTo(RawHttp.Kind.RESPONSE);
    return r;
  }

  static void awaitPort(int port, Process p) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (java.io.IOException e) {
        if (!p.isAlive()) {
          throw new AssertionError("nginx exited: " + new String(p.getInputStream().readAllBytes()));
        }
        Thread.sleep(50);
      }
    }
    throw new AssertionError("nginx did not listen on " + port);
  }
}
