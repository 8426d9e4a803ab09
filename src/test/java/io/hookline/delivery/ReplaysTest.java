package io.hookline.delivery;

import static io.hookline.delivery.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.store.Deliveries;
import io.hookline.store.Deliveries.DeliveryQuery;
import io.hookline.store.Deliveries.DeliveryView;
import io.hookline.store.DeliveryStatus;
import io.hookline.store.Replays;
import io.hookline.store.Replays.Criteria;
import io.hookline.store.Replays.EventReplay;
import io.hookline.store.Replays.Job;
import io.hookline.store.Replays.StartedJob;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dead-letter listing and the one replay (store.Replays, used by the CLI and the admin API) over a
 * real schema; statuses are set directly, no workers run.
 */
class ReplaysTest {
  static final Set<DeliveryStatus> DEAD_OR_GONE = EnumSet.of(DeliveryStatus.DEAD, DeliveryStatus.GONE);
  static final Set<DeliveryStatus> ANY = EnumSet.allOf(DeliveryStatus.class);

  Harness h;
  Deliveries deliveries;
  Replays replays;

  @BeforeEach
  void setUp() {
    h = new Harness();
    deliveries = new Deliveries(h.sql, h.schema);
    replays = new Replays(h.sql, h.schema);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  /** Finishes a delivery as a worker would have after {@code attempts} attempts. */
  void finish(UUID id, String destination, DeliveryStatus status, int attempts) {
    h.query("UPDATE {schema}.deliveries SET status = $3, attempts = $4, last_status = 500, last_error = 'HTTP 500', "
        + "updated_at = clock_timestamp() WHERE event_id = $1 AND destination_id = $2", id, destination, status.value(), attempts);
    h.syncDeliveries();
  }

  /** destination:status:round:attempts of each delivery of the event, by destination. */
  List<String> deliveriesOf(UUID id) {
    List<String> out = new ArrayList<>();
    for (Row r : h.query("SELECT destination_id, status, round, attempts FROM {schema}.deliveries WHERE event_id = $1 "
        + "ORDER BY destination_id", id)) {
      out.add(r.getString(0) + ":" + r.getString(1) + ":" + r.getInteger(2) + ":" + r.getInteger(3));
    }
    return out;
  }

  @Test
  void listsDeadLettersNewestFirstWithFiltersAndKeysetPages() {
    List<UUID> dead = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      UUID id = h.insertEvent("a", "{}", "x", "y");
      finish(id, "x", DeliveryStatus.DEAD, 3);
      dead.add(0, id);
    }
    UUID otherSource = h.insertEvent("b", "{}", "x");
    finish(otherSource, "x", DeliveryStatus.DEAD, 2);
    UUID delivered = h.insertEvent("a", "{}", "x");
    finish(delivered, "x", DeliveryStatus.DELIVERED, 1);

    Set<DeliveryStatus> deadOnly = Set.of(DeliveryStatus.DEAD);
    List<DeliveryView> page1 = await(deliveries.list(new DeliveryQuery("a", null, deadOnly, null, 3)));
    assertThat(page1).extracting(DeliveryView::eventId).containsExactlyElementsOf(dead.subList(0, 3));
    List<DeliveryView> page2 = await(deliveries.list(new DeliveryQuery("a", null, deadOnly, page1.get(2).cursor(), 3)));
    assertThat(page2).extracting(DeliveryView::eventId).containsExactlyElementsOf(dead.subList(3, 5));
    assertThat(page2.get(0).status()).isEqualTo("dead");
    assertThat(page2.get(0).attempts()).isEqualTo(3);
    assertThat(page2.get(0).lastError()).isEqualTo("HTTP 500");

    assertThat(await(deliveries.listDead(null, 100))).hasSize(6);
    assertThat(await(deliveries.list(new DeliveryQuery(null, "y", null, null, 100)))).hasSize(5)
        .allSatisfy(d -> assertThat(d.status()).isEqualTo("pending"));
    assertThat(await(deliveries.deadCount())).isEqualTo(6);
    assertThat(await(deliveries.pendingCount())).isEqualTo(5);
    assertThat(await(deliveries.pendingByDestination())).containsOnlyKeys(DestinationTarget.key("a", "y"))
        .containsValue(5L);
  }

  @Test
  void replayingAnEventsDeadAndGoneDeliveriesMovesThemToANewRoundAndLeavesTheRestAlone() {
    UUID id = h.insertEvent("a", "{}", "dead1", "gone1", "ok1", "pending1");
    finish(id, "dead1", DeliveryStatus.DEAD, 3);
    finish(id, "gone1", DeliveryStatus.GONE, 1);
    finish(id, "ok1", DeliveryStatus.DELIVERED, 1);
    h.query("UPDATE {schema}.deliveries SET lease_owner = 'node/0', lease_until = now() + interval '1 minute', attempts = 1 "
        + "WHERE event_id = $1 AND destination_id = 'pending1'", id);

    assertThat(await(replays.replayEvent(id, null, DEAD_OR_GONE))).isEqualTo(new EventReplay(true, true, 2));
    assertThat(deliveriesOf(id))
        .containsExactly("dead1:pending:2:0", "gone1:pending:2:0", "ok1:delivered:1:1", "pending1:pending:1:1");
    assertThat(h.count("SELECT count(*) FROM {schema}.deliveries WHERE event_id = $1 AND destination_id = 'dead1' "
        + "AND next_attempt_at <= now() AND lease_owner IS NULL", id)).isEqualTo(1);
    // The in-flight lease was not disturbed.
    assertThat(h.query("SELECT lease_owner FROM {schema}.deliveries WHERE event_id = $1 AND destination_id = 'pending1'", id)
        .iterator().next().getString(0)).isEqualTo("node/0");
    // A second replay finds nothing left to replay.
    assertThat(await(replays.replayEvent(id, null, DEAD_OR_GONE)).replayed()).isZero();
  }

  @Test
  void replayingOneDestinationResendsEvenADeliveredOneButNeverAPendingOneUnlessAskedForAnyStatus() {
    UUID id = h.insertEvent("a", "{}", "ok1", "pending1");
    finish(id, "ok1", DeliveryStatus.DELIVERED, 2);
    assertThat(await(replays.replayEvent(id, "ok1", DeliveryStatus.FINISHED)).replayed()).isEqualTo(1);
    assertThat(await(replays.replayEvent(id, "ok1", DeliveryStatus.FINISHED)).replayed()).isZero();
    assertThat(await(replays.replayEvent(id, "pending1", DeliveryStatus.FINISHED)).replayed()).isZero();
    assertThat(await(replays.replayEvent(UUID.randomUUID(), "ok1", DeliveryStatus.FINISHED)))
        .isEqualTo(new EventReplay(false, false, 0));
    assertThat(deliveriesOf(id)).containsExactly("ok1:pending:2:0", "pending1:pending:1:0");
    // The admin API's replay: every delivery whatever its status, and it tells an unknown destination apart.
    assertThat(await(replays.replayEvent(id, null, ANY))).isEqualTo(new EventReplay(true, true, 2));
    assertThat(await(replays.replayEvent(id, "nope", ANY))).isEqualTo(new EventReplay(true, false, 0));
    assertThat(deliveriesOf(id)).containsExactly("ok1:pending:3:0", "pending1:pending:2:0");
  }

  @Test
  void replayingManyByFilterIsAJobRunToItsEndWithAnOptionalCap() {
    for (int i = 0; i < 4; i++) {
      finish(h.insertEvent("a", "{}", "x"), "x", DeliveryStatus.DEAD, 3);
    }
    UUID goneA = h.insertEvent("a", "{}", "x");
    finish(goneA, "x", DeliveryStatus.GONE, 1);
    UUID deliveredA = h.insertEvent("a", "{}", "x");
    finish(deliveredA, "x", DeliveryStatus.DELIVERED, 1);
    UUID deadB = h.insertEvent("b", "{}", "x");
    finish(deadB, "x", DeliveryStatus.DEAD, 3);

    // Received in the future: nothing in the window.
    assertThat(run(new Criteria("a", null, List.of(DeliveryStatus.DEAD), null, OffsetDateTime.now().plusHours(1), null),
        null)).isZero();
    Criteria deadOfA = new Criteria("a", "x", List.of(DeliveryStatus.DEAD), null, null, null);
    StartedJob capped = await(replays.startJob(UUID.randomUUID(), deadOfA, "test", "cli"));
    assertThat(capped.matched()).isEqualTo(4);
    assertThat(await(replays.runToEnd(capped, deadOfA, 3))).isEqualTo(3);
    Job job = await(replays.job(capped.id()));
    assertThat(job.state()).isEqualTo("done");
    assertThat(job.replayed()).isEqualTo(3);
    assertThat(run(deadOfA, null)).isEqualTo(1);
    assertThat(run(new Criteria("a", null, List.of(DeliveryStatus.GONE), null,
        OffsetDateTime.now().minusHours(1), OffsetDateTime.now().plusHours(1)), null)).isEqualTo(1);
    assertThat(h.count("SELECT count(*) FROM {schema}.deliveries WHERE status = 'pending' AND round = 2")).isEqualTo(5);
    assertThat(h.status(deliveredA, "x")).isEqualTo("delivered");
    assertThat(h.status(deadB, "x")).isEqualTo("dead");
    assertThat(run(new Criteria(null, null, List.of(DeliveryStatus.DELIVERED), null, null, null), null)).isEqualTo(1);
    assertThatThrownBy(() -> DeliveryStatus.of("lost")).hasMessageContaining("unknown delivery status 'lost'");
  }

  private long run(Criteria c, Integer limit) {
    StartedJob job = await(replays.startJob(UUID.randomUUID(), c, "test", "cli"));
    return await(replays.runToEnd(job, c, limit));
  }
}
