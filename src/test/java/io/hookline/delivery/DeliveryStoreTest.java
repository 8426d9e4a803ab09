package io.hookline.delivery;

import static io.hookline.delivery.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.delivery.DeliveryStore.DeliveryQuery;
import io.hookline.delivery.DeliveryStore.DeliveryView;
import io.hookline.delivery.DeliveryStore.ReplayFilter;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dead-letter listing and replay over a real schema; statuses are set directly, no workers run. */
class DeliveryStoreTest {
  Harness h;
  DeliveryStore store;

  @BeforeEach
  void setUp() {
    h = new Harness();
    store = new DeliveryStore(h.sql, h.schema);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  /** Finishes a delivery as a worker would have after {@code attempts} attempts. */
  void finish(UUID id, String destination, String status, int attempts) {
    h.query("UPDATE {schema}.deliveries SET status = $3, attempts = $4, last_status = 500, last_error = 'HTTP 500', "
        + "updated_at = clock_timestamp() WHERE event_id = $1 AND destination_id = $2", id, destination, status, attempts);
    for (int a = 1; a <= attempts; a++) {
      h.query("INSERT INTO {schema}.delivery_attempts VALUES ($1, $2, 1, $3, 'n', now(), now(), 500, 3, $4, 'HTTP 500')",
          id, destination, a, a == attempts ? status : "retry");
    }
  }

  @Test
  void listsDeadLettersNewestFirstWithFiltersAndKeysetPages() {
    List<UUID> dead = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      UUID id = h.insertEvent("a", "{}", "x", "y");
      finish(id, "x", "dead", 3);
      dead.add(0, id);
    }
    UUID otherSource = h.insertEvent("b", "{}", "x");
    finish(otherSource, "x", "dead", 2);
    UUID delivered = h.insertEvent("a", "{}", "x");
    finish(delivered, "x", "delivered", 1);

    List<DeliveryView> page1 = await(store.list(new DeliveryQuery("a", null, Set.of("dead"), null, 3)));
    assertThat(page1).extracting(DeliveryView::eventId).containsExactlyElementsOf(dead.subList(0, 3));
    List<DeliveryView> page2 = await(store.list(new DeliveryQuery("a", null, Set.of("dead"), page1.get(2).cursor(), 3)));
    assertThat(page2).extracting(DeliveryView::eventId).containsExactlyElementsOf(dead.subList(3, 5));
    assertThat(page2.get(0).status()).isEqualTo("dead");
    assertThat(page2.get(0).attempts()).isEqualTo(3);
    assertThat(page2.get(0).lastError()).isEqualTo("HTTP 500");

    assertThat(await(store.listDead(null, 100))).hasSize(6);
    assertThat(await(store.list(new DeliveryQuery(null, "y", null, null, 100)))).hasSize(5)
        .allSatisfy(d -> assertThat(d.status()).isEqualTo("pending"));
    assertThat(await(store.statusCounts())).extracting(c -> c.sourceId() + "/" + c.destinationId() + "/" + c.status() + "=" + c.count())
        .containsExactly("a/x/dead=5", "a/x/delivered=1", "a/y/pending=5", "b/x/dead=1");
    assertThat(await(store.attemptsOf(dead.get(0)))).extracting(DeliveryStore.AttemptView::outcome)
        .containsExactly("retry", "retry", "dead");
  }

  @Test
  void replayingAnEventMovesItsDeadAndGoneDeliveriesToANewRoundAndLeavesTheRestAlone() {
    UUID id = h.insertEvent("a", "{}", "dead1", "gone1", "ok1", "pending1");
    finish(id, "dead1", "dead", 3);
    finish(id, "gone1", "gone", 1);
    finish(id, "ok1", "delivered", 1);
    h.query("UPDATE {schema}.deliveries SET lease_owner = 'node/0', lease_until = now() + interval '1 minute', attempts = 1 "
        + "WHERE event_id = $1 AND destination_id = 'pending1'", id);

    assertThat(await(store.replayEvent(id))).isEqualTo(2);
    List<DeliveryView> after = await(store.deliveriesOf(id));
    assertThat(after).extracting(d -> d.destinationId() + ":" + d.status() + ":" + d.round() + ":" + d.attempts())
        .containsExactly("dead1:pending:2:0", "gone1:pending:2:0", "ok1:delivered:1:1", "pending1:pending:1:1");
    assertThat(after.get(0).nextAttemptAt()).isBeforeOrEqualTo(OffsetDateTime.now().plusSeconds(1));
    // The in-flight lease was not disturbed.
    assertThat(after.get(3).leaseOwner()).isEqualTo("node/0");
    // A second replay finds nothing left to replay.
    assertThat(await(store.replayEvent(id))).isZero();
  }

  @Test
  void replayingOneDestinationResendsEvenADeliveredOneButNeverAPendingOne() {
    UUID id = h.insertEvent("a", "{}", "ok1", "pending1");
    finish(id, "ok1", "delivered", 2);
    assertThat(await(store.replayDelivery(id, "ok1"))).isEqualTo(1);
    assertThat(await(store.replayDelivery(id, "ok1"))).isZero();
    assertThat(await(store.replayDelivery(id, "pending1"))).isZero();
    assertThat(await(store.replayDelivery(UUID.randomUUID(), "ok1"))).isZero();
    assertThat(await(store.deliveriesOf(id))).extracting(d -> d.destinationId() + ":" + d.status() + ":" + d.round())
        .containsExactly("ok1:pending:2", "pending1:pending:1");
  }

  @Test
  void replayingManyByFilter() {
    List<UUID> deadA = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      UUID id = h.insertEvent("a", "{}", "x");
      finish(id, "x", "dead", 3);
      deadA.add(id);
    }
    UUID goneA = h.insertEvent("a", "{}", "x");
    finish(goneA, "x", "gone", 1);
    UUID deliveredA = h.insertEvent("a", "{}", "x");
    finish(deliveredA, "x", "delivered", 1);
    UUID deadB = h.insertEvent("b", "{}", "x");
    finish(deadB, "x", "dead", 3);

    // Received in the future: nothing in the window.
    assertThat(await(store.replay(new ReplayFilter("a", null, null, OffsetDateTime.now().plusHours(1), null, null)))).isZero();
    assertThat(await(store.replay(new ReplayFilter("a", "x", Set.of("dead"), null, null, 3)))).isEqualTo(3);
    assertThat(await(store.replay(ReplayFilter.deadOf("a")))).isEqualTo(1);
    assertThat(await(store.replay(new ReplayFilter("a", null, Set.of("gone", "pending"),
        OffsetDateTime.now().minusHours(1), OffsetDateTime.now().plusHours(1), null)))).isEqualTo(1);
    assertThat(h.count("SELECT count(*) FROM {schema}.deliveries WHERE status = 'pending' AND round = 2")).isEqualTo(5);
    assertThat(h.status(deliveredA, "x")).isEqualTo("delivered");
    assertThat(h.status(deadB, "x")).isEqualTo("dead");
    assertThat(await(store.replay(new ReplayFilter(null, null, Set.of("delivered"), null, null, null)))).isEqualTo(1);
    assertThatThrownBy(() -> await(store.replay(new ReplayFilter(null, null, Set.of("lost"), null, null, null))))
        .hasMessageContaining("unknown delivery status 'lost'");
  }
}
