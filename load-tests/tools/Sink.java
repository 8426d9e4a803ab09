import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The destination Hookline delivers to during local load runs: answers 200 to every request after
 * reading its body, and counts. {@code java load-tests/tools/Sink.java PORT} (JDK only, no build).
 * Prints the count every 10 s and at exit. {@code GET /_sink/stats} (not counted) answers
 * {@code received=N first_ms=T last_ms=T} (epoch milliseconds of the first and latest delivery,
 * 0 before any), which load-tests/burst.sh polls to time the end of delivery.
 */
public final class Sink {
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 19999;
    AtomicLong received = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    AtomicLong firstMs = new AtomicLong();
    AtomicLong lastMs = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        bytes.addAndGet(in.transferTo(java.io.OutputStream.nullOutputStream()));
      }
      long now = System.currentTimeMillis();
      firstMs.compareAndSet(0, now);
      lastMs.accumulateAndGet(now, Math::max);
      received.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.createContext("/_sink/stats", exchange -> {
      byte[] body = ("received=" + received.get() + " first_ms=" + firstMs.get() + " last_ms=" + lastMs.get() + "\n")
          .getBytes(StandardCharsets.US_ASCII);
      exchange.getRequestBody().close();
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    System.out.println("sink listening on 127.0.0.1:" + port);
    Runtime.getRuntime().addShutdownHook(new Thread(() ->
        System.out.println("sink: received " + received.get() + " deliveries, " + bytes.get() + " bytes")));
    long last = -1;
    while (true) {
      Thread.sleep(10_000);
      long now = received.get();
      if (now != last) {
        System.out.println("sink: received " + now + " deliveries");
        last = now;
      }
    }
  }
}
