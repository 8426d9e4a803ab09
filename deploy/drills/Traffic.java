import java.io.BufferedWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Traffic for the fault drills: CONCURRENCY senders POST GitHub-signed events, each with a new
 * X-GitHub-Delivery id, for SECONDS (closed loop: each sender waits for its answer), and record
 * every answer, one line per request: {@code <delivery id> TAB <status or ERR> TAB <Hookline id or ->}.
 * {@code java deploy/drills/Traffic.java URL SECRET SECONDS CONCURRENCY ID_PREFIX OUT_FILE} (JDK only).
 * Prints "traffic: started" once sending, and a summary line at the end.
 */
public final class Traffic {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: Traffic URL SECRET SECONDS CONCURRENCY ID_PREFIX OUT_FILE");
      System.exit(2);
    }
    URI url = URI.create(args[0]);
    byte[] secret = args[1].getBytes(StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[2])).toNanos();
    int concurrency = Integer.parseInt(args[3]);
    String prefix = args[4];
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    AtomicLong sent = new AtomicLong();
    AtomicLong acked = new AtomicLong();
    AtomicLong unavailable = new AtomicLong();
    AtomicLong other = new AtomicLong();
    try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[5]))) {
      List<Thread> senders = new ArrayList<>();
      for (int w = 0; w < concurrency; w++) {
        int worker = w;
        Thread t = new Thread(() -> {
          try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            for (long n = 0; System.nanoTime() - deadline < 0; n++) {
              String id = prefix + "-" + worker + "-" + n;
              byte[] body = ("{\"zen\":\"fault drill\",\"delivery\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
              String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
              HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
                  .header("X-GitHub-Delivery", id).header("X-Hub-Signature-256", signature)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
              sent.incrementAndGet();
              String line;
              try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                Matcher m = ID.matcher(r.body());
                String hooklineId = r.statusCode() == 200 && m.find() ? m.group(1) : "-";
                line = id + "\t" + r.statusCode() + "\t" + hooklineId;
                (r.statusCode() == 200 ? acked : r.statusCode() == 503 ? unavailable : other).incrementAndGet();
              } catch (java.io.IOException e) {
                line = id + "\tERR\t-";
                other.incrementAndGet();
              }
              synchronized (out) {
                out.write(line);
                out.newLine();
              }
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, "sender-" + w);
        senders.add(t);
        t.start();
      }
      System.out.println("traffic: started " + concurrency + " senders against " + url);
      for (Thread t : senders) {
        t.join();
      }
    }
    System.out.println("traffic: sent=" + sent + " acked=" + acked + " status503=" + unavailable + " other=" + other);
  }
}
