package io.hookline.management.admin;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.delivery.EventRouter;
import io.hookline.expression.EventContext;
import io.hookline.store.Replays;
import io.hookline.store.RerouteStore;
import io.hookline.store.RerouteStore.Candidate;
import io.hookline.store.RerouteStore.Position;
import io.hookline.store.RerouteStore.Scope;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs re-route jobs (replay of {@code filtered}): pages through the events that lack a delivery to
 * some destination, oldest first, decides each pair with today's {@code eventTypes} + {@code filter}
 * ({@link EventRouter#verdict}) and creates the deliveries that match now. Paced like bulk replay, at
 * most {@code management.replayRate} events per second; asynchronous on the admin verticle's context.
 */
final class RerouteRunner {
  private static final Logger LOG = LoggerFactory.getLogger("hookline.audit");
  static final int MAX_BATCH = 200;

  private final Context context;
  private final RerouteStore reroutes;
  private final Replays replays;
  private final WorkerWakeUp wakeUp;
  private final HooklineConfig config;
  private final int rate;
  private final Set<UUID> running = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  RerouteRunner(Context context, RerouteStore reroutes, Replays replays, WorkerWakeUp wakeUp, HooklineConfig config) {
    this.context = context;
    this.reroutes = reroutes;
    this.replays = replays;
    this.wakeUp = wakeUp;
    this.config = config;
    this.rate = config.management().replayRate();
  }

  void start(UUID jobId, Scope scope) {
    running.add(jobId);
    context.runOnContext(v -> step(jobId, scope, null));
  }

  private void step(UUID jobId, Scope scope, Position after) {
    if (stopping) {
      return;
    }
    int batch = Math.min(rate, MAX_BATCH);
    long periodMs = Math.max(1, 1000L * batch / rate);
    long started = System.nanoTime();
    reroutes.filtered(scope, after, batch).compose(b -> {
      if (b.events().isEmpty()) {
        return Future.succeededFuture((Position) null);
      }
      List<UUID> events = new ArrayList<>();
      List<String> sources = new ArrayList<>();
      List<String> destinations = new ArrayList<>();
      for (Candidate c : b.events()) {
        decide(c, events, sources, destinations);
      }
      if (events.isEmpty()) {
        return Future.succeededFuture(b.last());
      }
      return reroutes.route(jobId, events.toArray(UUID[]::new), sources.toArray(String[]::new),
          destinations.toArray(String[]::new)).map(n -> {
            if (n > 0) {
              wakeUp.wake(jobId);
            }
            return b.last();
          });
    }).onComplete(ar -> {
      if (ar.failed()) {
        running.remove(jobId);
        LOG.warn("re-route job {} failed: {}", jobId, ar.cause().toString());
        replays.finishJob(jobId, "failed", "re-route failed: " + ar.cause().getMessage());
        return;
      }
      if (ar.result() == null) {
        running.remove(jobId);
        LOG.info("re-route job {} done", jobId);
        replays.finishJob(jobId, "done", null);
        return;
      }
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      context.owner().setTimer(Math.max(1, periodMs - elapsedMs), id -> step(jobId, scope, ar.result()));
    });
  }

  /** Adds the (event, destination) pairs of {@code c} that match today's routing. */
  private void decide(Candidate c, List<UUID> events, List<String> sources, List<String> destinations) {
    SourceConfig source = config.source(c.sourceId());
    if (source == null) {
      return;
    }
    EventContext event = new EventContext(c.sourceId(), c.id().toString(), c.providerEventId(), c.eventType(),
        c.receivedAt().toInstant(), () -> EventContext.firstValues(c.headersJson()), c.body());
    for (DestinationConfig d : source.destinations()) {
      if (c.missing().contains(d.id()) && EventRouter.verdict(source, d, event).matched()) {
        events.add(c.id());
        sources.add(c.sourceId());
        destinations.add(d.id());
      }
    }
  }

  /** Jobs this node was running are marked failed: they stop with the node. */
  Future<Void> stop() {
    stopping = true;
    return Future.join(running.stream()
        .map(id -> replays.finishJob(id, "failed", "the node running the job stopped before it finished"))
        .toList()).mapEmpty();
  }
}
