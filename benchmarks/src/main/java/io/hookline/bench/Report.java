package io.hookline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a JMH JSON result file ({@code -rf json}) into the Markdown tables of the README:
 * verification vs floor (ratio), SDK comparison, event-id extraction and dedup key.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.hookline.bench.Report results.json</pre>
 */
public final class Report {
  /** Target from issue 6: every HMAC scheme within this factor of the bare Mac at 2 KiB. */
  static final double TARGET_RATIO = 1.3; // issue 18: every HMAC scheme within 1.3× of the bare Mac at 2 KiB

  private record Row(String benchmark, String method, Map<String, String> params, double score, double error) {}

  private final List<Row> rows = new ArrayList<>();

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Report <jmh-result.json>");
      System.exit(2);
    }
    Report r = new Report();
    r.load(new File(args[0]));
    System.out.print(r.render());
  }

  void load(File file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file);
    for (JsonNode run : root) {
      String full = run.path("benchmark").asText();
      int dot = full.lastIndexOf('.');
      String cls = full.substring(full.lastIndexOf('.', dot - 1) + 1, dot);
      Map<String, String> params = new LinkedHashMap<>();
      run.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
      JsonNode metric = run.path("primaryMetric");
      String unit = metric.path("scoreUnit").asText();
      double factor = switch (unit) {
        case "ns/op" -> 1;
        case "us/op" -> 1e3;
        case "ms/op" -> 1e6;
        default -> throw new IllegalArgumentException("unexpected unit " + unit + " (run in avgt mode)");
      };
      double error = metric.path("scoreError").asDouble(Double.NaN);
      rows.add(new Row(cls, full.substring(dot + 1), params, metric.path("score").asDouble() * factor,
          Double.isNaN(error) ? Double.NaN : error * factor));
    }
  }

  private Double score(String cls, String method, Map<String, String> params) {
    for (Row r : rows) {
      if (r.benchmark.equals(cls) && r.method.equals(method) && r.params.entrySet().containsAll(params.entrySet())) {
        return r.score;
      }
    }
    return null;
  }

  private TreeSet<Integer> sizes(String cls) {
    TreeSet<Integer> sizes = new TreeSet<>();
    for (Row r : rows) {
      if (r.benchmark.equals(cls) && r.params.containsKey("size")) {
        sizes.add(Integer.parseInt(r.params.get("size")));
      }
    }
    return sizes;
  }

  String render() {
    StringBuilder out = new StringBuilder();
    verification(out);
    sdk(out);
    eventIds(out);
    dedup(out);
    return out.toString();
  }

  private void verification(StringBuilder out) {
    TreeSet<Integer> sizes = sizes("VerifyBenchmark");
    if (sizes.isEmpty()) {
      return;
    }
    out.append("### Signature verification vs the floor (average time per request; ratio = verifier / floor)\n\n");
    out.append("| scheme | floor |");
    sizes.forEach(s -> out.append(' ').append(size(s)).append(" |"));
    out.append(" ratio at 2 KiB |\n|---|---|");
    sizes.forEach(s -> out.append("---|"));
    out.append("---|\n");
    for (String scheme : Fixture.SCHEMES) {
      if (score("VerifyBenchmark", "hookline", Map.of("scheme", scheme)) == null) {
        continue;
      }
      String floor = Fixture.floorFor(scheme);
      out.append("| ").append(scheme).append(" | ").append(floor).append(" |");
      for (int s : sizes) {
        Double v = score("VerifyBenchmark", "hookline", Map.of("scheme", scheme, "size", Integer.toString(s)));
        Double f = score("FloorBenchmark", "floor", Map.of("algorithm", floor, "size", Integer.toString(s)));
        out.append(' ').append(v == null ? "–" : time(v));
        if (v != null && f != null) {
          out.append(String.format(Locale.ROOT, " (%.2f×)", v / f));
        }
        out.append(" |");
      }
      Double v = score("VerifyBenchmark", "hookline", Map.of("scheme", scheme, "size", "2048"));
      Double f = score("FloorBenchmark", "floor", Map.of("algorithm", floor, "size", "2048"));
      if (v != null && f != null) {
        double ratio = v / f;
        boolean hmac = floor.startsWith("Hmac") && !Fixture.isToken(scheme);
        out.append(String.format(Locale.ROOT, " %.2f× %s |", ratio,
            !hmac ? "(not HMAC)" : ratio <= TARGET_RATIO ? "✅" : "❌ > " + TARGET_RATIO + "×"));
      } else {
        out.append(" – |");
      }
      out.append('\n');
    }
    out.append("\nFloor (bare reused primitive over the same body bytes):\n\n| primitive |");
    sizes.forEach(s -> out.append(' ').append(size(s)).append(" |"));
    out.append("\n|---|");
    sizes.forEach(s -> out.append("---|"));
    out.append('\n');
    for (String alg : List.of("HmacSHA256", "HmacSHA1", "Ed25519")) {
      out.append("| ").append(alg).append(" |");
      for (int s : sizes) {
        Double f = score("FloorBenchmark", "floor", Map.of("algorithm", alg, "size", Integer.toString(s)));
        out.append(' ').append(f == null ? "–" : time(f)).append(" |");
      }
      out.append('\n');
    }
    out.append('\n');
  }

  private void sdk(StringBuilder out) {
    TreeSet<Integer> sizes = sizes("SdkBenchmark");
    if (sizes.isEmpty()) {
      return;
    }
    out.append("### Official SDK verifiers on the same payloads (same fork; × = SDK / Hookline)\n\n| verifier |");
    sizes.forEach(s -> out.append(' ').append(size(s)).append(" |"));
    out.append("\n|---|");
    sizes.forEach(s -> out.append("---|"));
    out.append('\n');
    String[][] lines = {
        {"Hookline stripe", "stripeHookline", null},
        {"stripe-java `Webhook.Signature.verifyHeader`", "stripeSdkVerifyHeader", "stripeHookline"},
        {"stripe-java `Webhook.constructEvent`", "stripeSdkConstructEvent", "stripeHookline"},
        {"Hookline standard (v1)", "standardHookline", null},
        {"standardwebhooks `Webhook.verify`", "standardSdkVerify", "standardHookline"}};
    for (String[] line : lines) {
      out.append("| ").append(line[0]).append(" |");
      for (int s : sizes) {
        Map<String, String> p = Map.of("size", Integer.toString(s));
        Double v = score("SdkBenchmark", line[1], p);
        Double base = line[2] == null ? null : score("SdkBenchmark", line[2], p);
        out.append(' ').append(v == null ? "–" : time(v));
        if (v != null && base != null) {
          out.append(String.format(Locale.ROOT, " (%.2f×)", v / base));
        }
        out.append(" |");
      }
      out.append('\n');
    }
    out.append('\n');
  }

  private void eventIds(StringBuilder out) {
    TreeSet<Integer> sizes = sizes("EventIdBenchmark");
    if (sizes.isEmpty()) {
      return;
    }
    out.append("### Event id (and type) extraction\n\n| method | id position |");
    sizes.forEach(s -> out.append(' ').append(size(s)).append(" |"));
    out.append("\n|---|---|");
    sizes.forEach(s -> out.append("---|"));
    out.append('\n');
    String[][] methods = {
        {"header", "header (X-GitHub-Delivery)"},
        {"streamingScan", "JSON streaming scan (`JsonFields`)"},
        {"jacksonTree", "full parse: Jackson `readTree`"},
        {"vertxJsonObject", "full parse: Vert.x `JsonObject`"}};
    for (String[] m : methods) {
      for (String position : List.of("FIRST", "LAST")) {
        if (m[0].equals("header") && position.equals("LAST")) {
          continue;
        }
        out.append("| ").append(m[1]).append(" | ").append(m[0].equals("header") ? "–" : position.toLowerCase(Locale.ROOT))
            .append(" |");
        for (int s : sizes) {
          Double v = score("EventIdBenchmark", m[0], Map.of("size", Integer.toString(s), "position", position));
          out.append(' ').append(v == null ? "–" : time(v)).append(" |");
        }
        out.append('\n');
      }
    }
    out.append('\n');
  }

  private void dedup(StringBuilder out) {
    TreeSet<Integer> sizes = sizes("DedupKeyBenchmark");
    if (sizes.isEmpty()) {
      return;
    }
    out.append("### Dedup key and event id\n\n| operation |");
    sizes.forEach(s -> out.append(' ').append(size(s)).append(" |"));
    out.append("\n|---|");
    sizes.forEach(s -> out.append("---|"));
    out.append('\n');
    String[][] methods = {
        {"providerId", "dedup key from the provider's id"},
        {"bodyHash", "dedup key = SHA-256 of the body (no provider id)"},
        {"newId", "Hookline event id (UUIDv7)"}};
    for (String[] m : methods) {
      out.append("| ").append(m[1]).append(" |");
      for (int s : sizes) {
        Double v = score("DedupKeyBenchmark", m[0], Map.of("size", Integer.toString(s)));
        out.append(' ').append(v == null ? "–" : time(v)).append(" |");
      }
      out.append('\n');
    }
    out.append('\n');
  }

  static String size(int bytes) {
    return bytes >= 1024 ? (bytes / 1024) + " KiB" : bytes + " B";
  }

  static String time(double ns) {
    if (ns < 1_000) {
      return String.format(Locale.ROOT, "%.0f ns", ns);
    }
    if (ns < 1_000_000) {
      return String.format(Locale.ROOT, ns < 10_000 ? "%.2f µs" : ns < 100_000 ? "%.1f µs" : "%.0f µs", ns / 1e3);
    }
    return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
  }
}
