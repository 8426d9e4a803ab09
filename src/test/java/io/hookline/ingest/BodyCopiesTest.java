package io.hookline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.IngestFixture;
import io.hookline.testing.TestNode;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request body is copied once, from the chunks Vert.x hands over into one array of the exact
 * length, which is verified and stored without another copy: the event loops allocate about two
 * bodies per request (Vert.x's chunk copies, then that array), not four (a growing buffer, then a
 * byte[] copy of it). Chunked bodies (no Content-Length) keep their bytes exactly.
 */
class BodyCopiesTest {
  static final String SECRET = "gh-body-copies-secret";
  static final int BODY = 512 * 1024;
  static TestNode node;

  @BeforeAll
  static void start() {
    node = IngestFixture.startWithGitHubSource(SECRET);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void aBodyWithContentLengthIsCopiedOnce() {
    for (int i = 0; i < 5; i++) {
      post(body(i), false); // warm-up: pools, JIT, prepared statements
    }
    int n = 20;
    long before = eventLoopAllocatedBytes();
    for (int i = 0; i < n; i++) {
      post(body(100 + i), false);
    }
    long allocated = eventLoopAllocatedBytes() - before;
    assertThat((double) allocated / ((long) n * BODY)).as("bytes allocated on event loops per body byte")
        .isLessThan(2.6);
  }

  @Test
  void chunkedBodiesKeepTheirBytes() {
    for (int size : new int[] {0, 1, 8191, 8192, 100_000, BODY}) {
      byte[] body = body(size);
      body = Arrays.copyOf(body, Math.min(size + 20, body.length));
      String id = post(body, true);
      byte[] stored = node.query("SELECT body FROM {schema}.events WHERE id = $1::uuid", id).iterator().next()
          .getBuffer(0).getBytes();
      assertThat(stored).as("size %d", body.length).isEqualTo(body);
    }
  }

  static byte[] body(int seed) {
    StringBuilder sb = new StringBuilder(BODY).append("{\"seed\":").append(seed).append(",\"pad\":\"");
    while (sb.length() < BODY - 2) {
      sb.append((char) ('a' + (sb.length() * 31 + seed) % 26));
    }
    return sb.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** POSTs and returns the event id; {@code chunked} sends no Content-Length. */
  static String post(byte[] body, boolean chunked) {
    HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofByteArray(body);
    if (chunked) {
      HttpRequest.BodyPublisher sized = publisher;
      publisher = new HttpRequest.BodyPublisher() {
        @Override
        public long contentLength() {
          return -1; // unknown: the JDK client sends Transfer-Encoding: chunked
        }

        @Override
        public void subscribe(Flow.Subscriber<? super java.nio.ByteBuffer> s) {
          sized.subscribe(s);
        }
      };
    }
    HttpRequest request = IngestFixture.githubPost(node, SECRET, "copies-" + System.nanoTime(), body, publisher,
        Duration.ofSeconds(30));
    try {
      HttpResponse<String> r = node.http.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return new io.vertx.core.json.JsonObject(r.body()).getString("id");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static long eventLoopAllocatedBytes() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("vert.x-eventloop-thread")) {
        sum += Math.max(0, threads.getThreadAllocatedBytes(t.getId()));
      }
    }
    return sum;
  }
}
