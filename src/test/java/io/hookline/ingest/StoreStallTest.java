package io.hookline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.Eventually;
import io.hookline.testing.IngestFixture;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnection;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL stall (the events table locked): the stuck commit is answered 503 at
 * {@code store.commitTimeout}, writes arriving during the stall are refused at once instead of
 * queueing behind it, the server cancels the stuck statement ({@code statement_timeout}) so its slot
 * comes back and the 503'd event is never committed later, and the node accepts again afterwards.
 */
@SuppressWarnings("unchecked")
class StoreStallTest {
  static final String SECRET = "gh-stall-secret";

  @Test
  void aStalledCommitIsAnswered503AndCancelledAndTheNodeRecovers() throws Exception {
    Vertx vertx = Vertx.vertx();
    String yaml = "http: { port: 0, instances: 1 }\nstore: { commitTimeout: 500ms, maxBatchesInFlight: 1 }\n"
        + IngestFixture.githubSource(SECRET);
    try (TestNode node = TestNode.start(yaml)) {
      SqlConnection locker = PgConnection.connect(vertx, PgConnectOptions.fromUri(TestServices.pgUrl())).await();
      String stuckId = "stall-" + System.nanoTime();
      try {
        locker.query("BEGIN").execute().await();
        locker.query("LOCK TABLE " + node.schemaName() + ".events IN ACCESS EXCLUSIVE MODE").execute().await();

        HttpResponse<String> stuck = post(node, stuckId);
        assertThat(stuck.statusCode()).as(stuck.body()).isEqualTo(503);
        assertThat(new JsonObject(stuck.body()).getString("reason")).isEqualTo("unavailable");
        assertThat(stuck.headers().firstValue("Retry-After")).isPresent();

        HttpResponse<String> during = post(node, "stall-during-" + System.nanoTime());
        assertThat(during.statusCode()).as("refused at once while the stuck statement runs").isEqualTo(503);

        // statement_timeout (2 x commitTimeout) ends the stuck insert on the server while the lock is still held.
        String inserts = "%INSERT INTO " + node.schemaName() + ".events%";
        Eventually.within(Duration.ofSeconds(15), () -> node.count(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1", inserts) == 0,
            "the stuck insert cancelled by statement_timeout");
      } finally {
        locker.query("ROLLBACK").execute().await();
        locker.close().await();
        vertx.close().await();
      }
      assertThat(node.count("SELECT count(*) FROM " + node.schemaName() + ".events WHERE provider_event_id = $1", stuckId))
          .as("the event answered 503 was not committed once the lock went").isZero();
      HttpResponse<String>[] again = new HttpResponse[1];
      Eventually.within(Duration.ofSeconds(15), () -> (again[0] = post(node, stuckId)).statusCode() == 200,
          "accepted again after the stall");
      assertThat(new JsonObject(again[0].body()).getBoolean("duplicate")).isFalse();
    }
  }

  static HttpResponse<String> post(TestNode node, String deliveryId) {
    byte[] body = ("{\"id\":\"" + deliveryId + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpRequest request = IngestFixture.githubPost(node, SECRET, deliveryId, body,
        HttpRequest.BodyPublishers.ofByteArray(body), Duration.ofSeconds(20));
    return TestNode.await(node.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
  }
}
