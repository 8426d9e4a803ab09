package io.hookline.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hookline.metrics.Dashboard;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/prometheus/ for real: promtool validates the scrape config and runs the alert rules'
 * unit tests (alerts.test.yml); then Debian's Prometheus runs the shipped prometheus.yml (targets,
 * intervals and the rules path replaced) against a live node that has taken real traffic, and
 * every alert expression and every Grafana dashboard query must parse and return data — an alert
 * that is quiet when healthy must at least find every metric it selects. A misspelt metric or
 * label value fails here. Skipped only where the binaries are not installed (CI installs them).
 */
class PrometheusRulesTest {
  static final Path DIR = Path.of("deploy", "prometheus");
  static final String SECRET = "prometheus-test-secret";
  /** A metric selector in PromQL: a name Hookline, Vert.x, the JVM binders or Prometheus exposes, with its matchers. */
  static final Pattern SELECTOR = Pattern.compile("\\b((?:hookline|vertx|jvm|process|system|up)(?:_[a-z0-9]+)*)\\b(\\{[^}]*})?");
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path dir;

  static Path binary(String name) {
    for (String d : new String[] {"/usr/bin", "/usr/local/bin", "/bin"}) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  record Run(int exit, String output) {}

  static Run run(Path out, String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
    }
    return new Run(p.exitValue(), Files.readString(out));
  }

  @Test
  void promtoolAcceptsTheConfigAndTheAlertRulesPassTheirUnitTests() throws Exception {
    Path promtool = binary("promtool");
    assumeTrue(promtool != null, "promtool is not installed (Debian package prometheus)");
    Run config = run(dir.resolve("check.txt"), promtool.toString(), "check", "config", DIR.resolve("prometheus.yml").toString());
    assertThat(config.exit()).as(config.output()).isZero();
    assertThat(config.output()).contains("alerts.yml");   // the rules are loaded by the shipped config
    Run tests = run(dir.resolve("test.txt"), promtool.toString(), "test", "rules", DIR.resolve("alerts.test.yml").toString());
    assertThat(tests.exit()).as(tests.output()).isZero();
    assertThat(tests.output()).contains("SUCCESS").doesNotContain("FAILED");
    // Every alert has unit-test cases: one that fires, or at least one that checks it stays quiet.
    String cases = Files.readString(DIR.resolve("alerts.test.yml"));
    assertThat(alertExpressions().keySet()).allSatisfy(alert ->
        assertThat(cases).as("alerts.test.yml tests %s", alert).contains("alertname: " + alert + "\n"));
  }

  @Test
  void everyAlertExpressionAndDashboardQueryReturnsDataFromALiveNode() throws Exception {
    Path prometheus = binary("prometheus");
    assumeTrue(prometheus != null, "prometheus is not installed (Debian package prometheus)");
    Vertx vertx = Vertx.vertx();
    AtomicInteger delivered = new AtomicInteger();
    HttpServer sink = vertx.createHttpServer().requestHandler(req -> req.body().onComplete(b -> {
      delivered.incrementAndGet();
      req.response().end();
    })).listen(0, "127.0.0.1").await();
    TestNode node = null;
    Process prom = null;
    try {
      node = TestNode.start("""
          sources:
            - id: gh
              provider: github
              secrets: ["%s"]
              destinations:
                - url: http://127.0.0.1:%d/in
          """.formatted(SECRET, sink.actualPort()));
      int port = TestServices.freePort();
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, testConfig(Files.readString(DIR.resolve("prometheus.yml")),
          URI.create(node.managementUrl()).getAuthority()));
      prom = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
      String api = "http://127.0.0.1:" + port;
      awaitReady(api, prom);

      int events = 10;
      for (int i = 0; i < events; i++) {
        String id = "prom-" + System.nanoTime() + "-" + i;
        byte[] body = ("{\"zen\":\"prometheus\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
        assertThat(node.post("gh", body, github(id, body)).statusCode()).isEqualTo(200);
        if (i == 0) {
          assertThat(node.post("gh", body, github(id, body)).body()).contains("\"duplicate\":true");
        }
      }
      byte[] forged = "{}".getBytes(StandardCharsets.UTF_8);
      assertThat(node.post("gh", forged, Map.of("X-Hub-Signature-256", "sha256=" + "0".repeat(64),
          "X-GitHub-Delivery", "prom-forged")).statusCode()).isEqualTo(401);
      System.gc(); // so the GC pause meters have a sample
      // Prometheus has scraped the traffic and the deliveries, with enough samples for rate() windows.
      awaitTrue(api, "sum(hookline_requests_total{job=\"hookline\",outcome=\"accepted\"}) >= " + events);
      awaitTrue(api, "sum(hookline_deliveries_total{job=\"hookline\",outcome=\"delivered\"}) >= " + events);
      awaitTrue(api, "count_over_time(up{job=\"hookline\"}[20s]) >= 8");
      assertThat(delivered.get()).isGreaterThanOrEqualTo(events);

      List<String> problems = new ArrayList<>();
      Map<String, String> alerts = alertExpressions();
      assertThat(alerts).as("alert rules in alerts.yml").hasSizeGreaterThanOrEqualTo(10);
      alerts.forEach((name, expr) -> checkAlert(api, name, expr, problems));
      Dashboard dashboard = new Dashboard(Dashboard.FILE);
      assertThat(dashboard.queries).as("dashboard queries").hasSizeGreaterThan(20);
      dashboard.queries.forEach((where, query) -> checkDashboardQuery(api, where, query, problems));
      checkRulesEvaluateCleanly(api, alerts.keySet(), problems);
      assertThat(problems).as("queries that fail or find nothing (Prometheus log: %s)", dir.resolve("prometheus.log"))
          .isEmpty();
    } finally {
      if (prom != null) {
        prom.destroy();
        if (!prom.waitFor(10, TimeUnit.SECONDS)) {
          prom.destroyForcibly();
        }
      }
      if (node != null) {
        node.close();
      }
      vertx.close().await();
    }
  }

  /** GitHub's headers for one event: it signs the body alone (HMAC-SHA256, hex). */
  static Map<String, String> github(String deliveryId, byte[] body) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return Map.of("X-GitHub-Event", "push", "X-GitHub-Delivery", deliveryId,
        "X-Hub-Signature-256", "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body)));
  }

  /** The shipped prometheus.yml with this node as the only target, 1 s intervals and the rules file's absolute path. */
  @SuppressWarnings("unchecked")
  static String testConfig(String shipped, String target) {
    Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(shipped);
    Map<String, Object> global = (Map<String, Object>) root.get("global");
    global.put("scrape_interval", "1s");
    global.put("scrape_timeout", "1s");
    global.put("evaluation_interval", "1s");
    List<String> rules = (List<String>) root.get("rule_files");
    assertThat(rules).as("rule_files in prometheus.yml").contains("alerts.yml");
    root.put("rule_files", rules.stream().map(r -> DIR.resolve(r).toAbsolutePath().toString()).toList());
    List<Map<String, Object>> jobs = (List<Map<String, Object>>) root.get("scrape_configs");
    Map<String, Object> job = jobs.stream().filter(j -> "hookline".equals(j.get("job_name"))).findFirst().orElseThrow();
    for (Map<String, Object> s : (List<Map<String, Object>>) job.get("static_configs")) {
      s.put("targets", List.of(target));
    }
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(options).dump(root);
  }

  @SuppressWarnings("unchecked")
  static Map<String, String> alertExpressions() throws IOException {
    Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(DIR.resolve("alerts.yml")));
    Map<String, String> out = new LinkedHashMap<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) root.get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        String name = (String) (rule.containsKey("alert") ? rule.get("alert") : rule.get("record"));
        assertThat(out.put(name, (String) rule.get("expr"))).as("rule name %s is unique", name).isNull();
      }
    }
    return out;
  }

  /** An alert expression evaluates; when it is empty (nothing wrong), each selector in it still finds series. */
  static void checkAlert(String api, String name, String expr, List<String> problems) {
    JsonObject r = query(api, expr);
    if (!"success".equals(r.getString("status"))) {
      problems.add("alert " + name + ": " + r.getString("error") + " in " + expr);
      return;
    }
    if (hasData(r)) {
      return;
    }
    Matcher m = SELECTOR.matcher(expr);
    int selectors = 0;
    while (m.find()) {
      selectors++;
      String selector = m.group(1) + (m.group(2) == null ? "" : m.group(2));
      JsonObject inner = query(api, selector);
      if (!hasData(inner)) {
        problems.add("alert " + name + ": " + selector + " finds no series (" + inner.getString("error", "empty") + ")");
      }
    }
    if (selectors == 0) {
      problems.add("alert " + name + ": no metric selector found in " + expr);
    }
  }

  static void checkDashboardQuery(String api, String where, String query, List<String> problems) {
    String q = query.replace("$__rate_interval", "20s").replace("$job", ".*").replace("$instance", ".*").replace("$source", ".*");
    Matcher labelValues = Pattern.compile("^label_values\\((.*),\\s*(\\w+)\\)$").matcher(q.trim());
    if (labelValues.matches()) { // a Grafana templating function, not PromQL: ask for the label's values
      JsonObject r = get(api + "/api/v1/label/" + labelValues.group(2) + "/values?match[]=" + encode(labelValues.group(1)));
      if (!"success".equals(r.getString("status")) || r.getJsonArray("data", new JsonArray()).isEmpty()) {
        problems.add(where + ": no values for " + query + " (" + r.getString("error", "empty") + ")");
      }
      return;
    }
    JsonObject r = query(api, q);
    if (!"success".equals(r.getString("status"))) {
      problems.add(where + ": " + r.getString("error") + " in " + query);
    } else if (!hasData(r)) {
      problems.add(where + ": returns no data: " + query);
    }
  }

  /** Prometheus loaded every rule and evaluated each without an error (e.g. a many-to-many match). */
  static void checkRulesEvaluateCleanly(String api, java.util.Set<String> names, List<String> problems) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      Map<String, JsonObject> rules = new LinkedHashMap<>();
      JsonObject r = get(api + "/api/v1/rules");
      for (Object g : r.getJsonObject("data", new JsonObject()).getJsonArray("groups", new JsonArray())) {
        for (Object o : ((JsonObject) g).getJsonArray("rules")) {
          JsonObject rule = (JsonObject) o;
          rules.put(rule.getString("name"), rule);
        }
      }
      boolean allEvaluated = rules.keySet().containsAll(names) && rules.values().stream()
          .noneMatch(x -> x.getString("lastEvaluation", "").startsWith("0001-"));
      if (allEvaluated || System.currentTimeMillis() > deadline) {
        for (String n : names) {
          JsonObject rule = rules.get(n);
          if (rule == null) {
            problems.add("rule " + n + " is not loaded by Prometheus");
          } else if (!"ok".equals(rule.getString("health"))) {
            problems.add("rule " + n + " is " + rule.getString("health") + ": " + rule.getString("lastError"));
          }
        }
        return;
      }
      Thread.sleep(200);
    }
  }

  static boolean hasData(JsonObject response) {
    if (!"success".equals(response.getString("status"))) {
      return false;
    }
    JsonObject data = response.getJsonObject("data");
    Object result = data.getValue("result");
    if ("scalar".equals(data.getString("resultType")) || "string".equals(data.getString("resultType"))) {
      return result != null;
    }
    return result instanceof JsonArray a && !a.isEmpty();
  }

  static JsonObject query(String api, String promql) {
    return get(api + "/api/v1/query?query=" + encode(promql));
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static JsonObject get(String url) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return new JsonObject(r.body()); // errors (400 bad_data, 422 execution) carry status "error" and the message
    } catch (Exception e) {
      throw new IllegalStateException("GET " + url, e);
    }
  }

  static void awaitReady(String api, Process prom) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      if (!prom.isAlive()) {
        throw new AssertionError("prometheus exited with " + prom.exitValue());
      }
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/-/ready")).timeout(Duration.ofSeconds(2))
            .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("prometheus was not ready within 30 s");
  }

  /** Polls until a PromQL comparison returns a series (the condition holds), for up to 60 s. */
  static void awaitTrue(String api, String condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    JsonObject last;
    do {
      last = query(api, condition);
      if (hasData(last)) {
        return;
      }
      Thread.sleep(250);
    } while (System.currentTimeMillis() < deadline);
    throw new AssertionError("not true within 60 s: " + condition + " -> " + last.encode());
  }
}
