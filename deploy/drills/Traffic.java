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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Traffic for the fault drills (JDK only, no build). Two modes:
 * <ul>
 * <li>{@code java deploy/drills/Traffic.java URL SECRET SECONDS CONCURRENCY ID_PREFIX OUT_FILE}:
 * CONCURRENCY senders POST GitHub-signed events, each with a new X-GitHub-Delivery id, for
 * SECONDS (closed loop: each sender waits for its answer), or until a file OUT_FILE.stop appears
 * (drills whose faults take as long as they take end the traffic that way). Prints "traffic: started" once sending.
 * <li>{@code java deploy/drills/Traffic.java resend URL SECRET IDS_FILE CONCURRENCY OUT_FILE}: the
 * provider's retries: sends once more each delivery id listed in IDS_FILE (one a line), with the
 * same body as the first time.
 * </ul>
 * Every answer is one line of OUT_FILE, tab-separated: delivery id, status (or ERR), Hookline id
 * (or -), duplicate (t, f or -), sent and answered (epoch ms), Retry-After (or -). A summary line at
 * the end. A sender pauses 200 ms after an answer other than 200.
 */
public final class Traffic {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
  /** A sender pauses after an answer other than 200, as a provider backs off (no busy loop on 503s). */
  private static final long PAUSE_AFTER_FAILURE_MS = 200;
  private static final Pattern DUPLICATE = Pattern.compile("\"duplicate\"\\s*:\\s*(true|false)");

  public static void main(String[] args) throws Exception {
    if (args.length == 6 && args[0].equals("resend")) {
      List<String> ids = Files.readAllLines(Path.of(args[3]));
      AtomicInteger next = new AtomicInteger();
      run(URI.create(args[1]), args[2], Integer.parseInt(args[4]), Path.of(args[5]), worker -> () -> {
        int i = next.getAndIncrement();
        return i < ids.size() ? ids.get(i) : null;
      });
    } else if (args.length == 6) {
      long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[2])).toNanos();
      String prefix = args[4];
      Path stop = Path.of(args[5] + ".stop");
      run(URI.create(args[0]), args[1], Integer.parseInt(args[3]), Path.of(args[5]), worker -> {
        long[] n = {0};
        return () -> System.nanoTime() - deadline < 0 && !Files.exists(stop) ? prefix + "-" + worker + "-" + n[0]++ : null;
      });
    } else {
      System.err.println("usage: Traffic URL SECRET SECONDS CONCURRENCY ID_PREFIX OUT_FILE\n"
          + "       Traffic resend URL SECRET IDS_FILE CONCURRENCY OUT_FILE");
      System.exit(2);
    }
  }

  /** The drill body of one delivery id: the same id always gets the same bytes (a provider retry). */
  static byte[] body(String id) {
    return ("{\"zen\":\"fault drill\",\"delivery\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  interface Ids {
    Supplier<String> forWorker(int worker);
  }

  private static void run(URI url, String secretText, int concurrency, Path outFile, Ids ids) throws Exception {
    byte[] secret = secretText.getBytes(StandardCharsets.UTF_8);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    AtomicLong sent = new AtomicLong();
    AtomicLong acked = new AtomicLong();
    AtomicLong duplicates = new AtomicLong();
    AtomicLong unavailable = new AtomicLong();
    AtomicLong other = new AtomicLong();
    try (BufferedWriter out = Files.newBufferedWriter(outFile)) {
      List<Thread> senders = new ArrayList<>();
      for (int w = 0; w < concurrency; w++) {
        Supplier<String> nextId = ids.forWorker(w);
        Thread t = new Thread(() -> {
          try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            for (String id = nextId.get(); id != null; id = nextId.get()) {
              byte[] body = body(id);
              String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
              HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
                  .header("X-GitHub-Delivery", id).header("X-Hub-Signature-256", signature)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
              sent.incrementAndGet();
              long sentMs = System.currentTimeMillis();
              String answer;
              try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                Matcher m = ID.matcher(r.body());
                Matcher d = DUPLICATE.matcher(r.body());
                boolean ok = r.statusCode() == 200;
                String duplicate = ok && d.find() ? (d.group(1).equals("true") ? "t" : "f") : "-";
                answer = r.statusCode() + "\t" + (ok && m.find() ? m.group(1) : "-") + "\t" + duplicate + "\t"
                    + sentMs + "\t" + System.currentTimeMillis() + "\t"
                    + r.headers().firstValue("Retry-After").orElse("-");
                (ok ? acked : r.statusCode() == 503 ? unavailable : other).incrementAndGet();
                if (duplicate.equals("t")) {
                  duplicates.incrementAndGet();
                }
              } catch (java.io.IOException e) {
                answer = "ERR\t-\t-\t" + sentMs + "\t" + System.currentTimeMillis() + "\t-";
                other.incrementAndGet();
              }
              synchronized (out) {
                out.write(id + "\t" + answer);
                out.newLine();
                out.flush();   // the drills count answers while the traffic runs
              }
              if (!answer.startsWith("200")) {
                Thread.sleep(PAUSE_AFTER_FAILURE_MS);
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
    System.out.println("traffic: sent=" + sent + " acked=" + acked + " duplicate=" + duplicates
        + " status503=" + unavailable + " other=" + other);
  }
}
