package io.hookline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.metrics.Dashboard;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The shape of what deploy/ ships. (That the dashboard's metrics exist is MetricsEndpointTest's job,
 * against a real scrape; that nginx.conf works is NginxLoadBalancerTest's, with nginx itself.)
 */
class DeployConfigTest {
  @Test
  @SuppressWarnings("unchecked")
  void prometheusScrapesEveryNodesManagementPort() throws Exception {
    Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions()))
        .load(Files.readString(Path.of("deploy", "prometheus", "prometheus.yml")));
    List<Map<String, Object>> jobs = (List<Map<String, Object>>) root.get("scrape_configs");
    Map<String, Object> job = jobs.stream().filter(j -> "hookline".equals(j.get("job_name"))).findFirst().orElseThrow();
    assertThat(job.getOrDefault("metrics_path", "/metrics")).isEqualTo("/metrics");
    List<Map<String, Object>> statics = (List<Map<String, Object>>) job.get("static_configs");
    List<String> targets = statics.stream().flatMap(s -> ((List<String>) s.get("targets")).stream()).toList();
    assertThat(targets).as("several nodes").hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates()
        .allMatch(t -> t.endsWith(":9090"), "the management port (default 9090), not the public one");
  }

  @Test
  void dashboardIsAGrafanaDashboardWithTheIssuesPanels() throws Exception {
    Dashboard d = new Dashboard(Dashboard.FILE);
    JsonObject json = d.json;
    assertThat(json.getString("uid")).isEqualTo("hookline");
    assertThat(json.getInteger("schemaVersion")).isGreaterThanOrEqualTo(36);
    List<String> titles = d.panels().stream().map(p -> p.getString("title")).toList();
    assertThat(titles).contains("Throughput by outcome", "Ack latency (request received to response sent)",
        "Rejections by reason", "Dedup hit rate", "Batch size", "Commit latency", "Delivery attempts by outcome",
        "Pending backlog", "JVM heap", "GC pause time", "Event-loop lag",
        "5xx answers by outcome", "Redis up", "Log lines dropped / s", "Oldest pending delivery age");
    // Every panel has a unique id and a data source; every query panel queries something.
    assertThat(d.panels().stream().map(p -> p.getInteger("id")).distinct().count()).isEqualTo(d.panels().size());
    d.panels().stream().filter(p -> !"row".equals(p.getString("type"))).forEach(p -> {
      assertThat(p.getJsonObject("datasource")).as(p.getString("title")).isNotNull();
      assertThat(p.getJsonArray("targets")).as(p.getString("title")).isNotEmpty();
    });
    // No two panels share a cell of the grid (24 columns wide).
    List<JsonObject> grid = d.panels().stream().map(p -> p.getJsonObject("gridPos")).toList();
    for (int i = 0; i < grid.size(); i++) {
      JsonObject a = grid.get(i);
      assertThat(a.getInteger("x") + a.getInteger("w")).as(titles.get(i)).isLessThanOrEqualTo(24);
      for (int j = i + 1; j < grid.size(); j++) {
        JsonObject b = grid.get(j);
        boolean overlap = a.getInteger("x") < b.getInteger("x") + b.getInteger("w")
            && b.getInteger("x") < a.getInteger("x") + a.getInteger("w")
            && a.getInteger("y") < b.getInteger("y") + b.getInteger("h")
            && b.getInteger("y") < a.getInteger("y") + a.getInteger("h");
        assertThat(overlap).as("%s overlaps %s", titles.get(i), titles.get(j)).isFalse();
      }
    }
    String text = Files.readString(Dashboard.FILE);
    assertThat(text).contains("histogram_quantile(0.5, sum by (le) (rate(hookline_ingest_seconds_bucket")
        .contains("histogram_quantile(0.99, sum by (le) (rate(hookline_ingest_seconds_bucket")
        .contains("histogram_quantile(0.999, sum by (le) (rate(hookline_ingest_seconds_bucket");
  }
}
