package io.hookline.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Grafana dashboard in deploy/: every PromQL query it runs and the metric names they use. */
public final class Dashboard {
  public static final Path FILE = Path.of("deploy", "grafana", "hookline.json");
  /** Metric names: every name Hookline, Vert.x, Micrometer's JVM binders or Prometheus itself exposes. */
  private static final Pattern METRIC = Pattern.compile("\\b((?:hookline|vertx|jvm|process|system|up)(?:_[a-z0-9]+)*)\\b");
  private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

  public final JsonObject json;
  /** Query text by where it is (panel title / refId, or templating variable). */
  public final Map<String, String> queries = new LinkedHashMap<>();

  public Dashboard(Path file) throws IOException {
    json = new JsonObject(Files.readString(file));
    collectPanels(json.getJsonArray("panels", new JsonArray()));
    JsonObject templating = json.getJsonObject("templating", new JsonObject());
    for (Object o : templating.getJsonArray("list", new JsonArray())) {
      JsonObject v = (JsonObject) o;
      Object q = v.getValue("query");
      if ("query".equals(v.getString("type")) && q != null) {
        queries.put("variable " + v.getString("name"),
            q instanceof JsonObject qo ? qo.getString("query") : q.toString());
      }
    }
  }

  private void collectPanels(JsonArray panels) {
    for (Object o : panels) {
      JsonObject p = (JsonObject) o;
      collectPanels(p.getJsonArray("panels", new JsonArray()));
      for (Object t : p.getJsonArray("targets", new JsonArray())) {
        JsonObject target = (JsonObject) t;
        if (target.getString("expr") != null) {
          queries.put("panel '" + p.getString("title") + "' " + target.getString("refId"), target.getString("expr"));
        }
      }
    }
  }

  public List<JsonObject> panels() {
    List<JsonObject> out = new ArrayList<>();
    walk(json.getJsonArray("panels", new JsonArray()), out);
    return out;
  }

  private static void walk(JsonArray panels, List<JsonObject> out) {
    for (Object o : panels) {
      JsonObject p = (JsonObject) o;
      out.add(p);
      walk(p.getJsonArray("panels", new JsonArray()), out);
    }
  }

  /** Metric names in one PromQL expression (label values in quotes are not names). */
  public static Set<String> metricNames(String promql) {
    String unquoted = QUOTED.matcher(promql).replaceAll("\"\"");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = METRIC.matcher(unquoted);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** Every metric name the dashboard queries, with where it is used first. */
  public Map<String, String> metricNames() {
    Map<String, String> out = new LinkedHashMap<>();
    queries.forEach((where, q) -> metricNames(q).forEach(n -> out.putIfAbsent(n, where)));
    return out;
  }
}
