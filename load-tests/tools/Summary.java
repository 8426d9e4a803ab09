import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints a Gatling HTML report's statistics table as Markdown (count, OK, KO, rate and the
 * percentiles configured in gatling.conf: 50, 95, 99, 99.9), groups with their requests indented.
 * {@code java load-tests/tools/Summary.java <report dir or index.html>} (JDK only, no build).
 */
public final class Summary {
  public static void main(String[] args) throws Exception {
    Path p = Path.of(args[0]);
    if (Files.isDirectory(p)) {
      p = p.resolve("index.html");
    }
    String html = Files.readString(p);
    Pattern row = Pattern.compile("<tr id=\"([^\"]+)\"(?: data-parent=\"([^\"]+)\")?\\s*>(.*?)</tr>", Pattern.DOTALL);
    Pattern name = Pattern.compile("class=\"ellipsed-name\">(.*?)</span>", Pattern.DOTALL);
    Pattern cell = Pattern.compile("<td class=\"value [a-z]+ col-(\\d+)\">([^<]*)</td>");
    Map<String, Integer> depth = new HashMap<>();
    List<String> lines = new ArrayList<>();
    lines.add("| request | count | OK | KO | KO % | req/s | min | p50 | p95 | p99 | p99.9 | max | mean |");
    lines.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    Matcher m = row.matcher(html);
    while (m.find()) {
      String id = m.group(1);
      String parent = m.group(2);
      int d = parent == null || parent.equals("ROOT") ? 0 : depth.getOrDefault(parent, 0) + 1;
      depth.put(id, d);
      Matcher n = name.matcher(m.group(3));
      String label = n.find() ? n.group(1).trim() : id;
      label = label.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
      String[] v = new String[15];
      Matcher c = cell.matcher(m.group(3));
      while (c.find()) {
        v[Integer.parseInt(c.group(1))] = c.group(2).trim();
      }
      String prefix = id.equals("ROOT") ? "**" : "";
      lines.add(String.format("| %s%s%s%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |",
          "\u00a0\u00a0".repeat(d), prefix, label, prefix, v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11],
          v[12], v[13]));
    }
    System.out.println("(response times in ms)");
    lines.forEach(System.out::println);
  }
}
