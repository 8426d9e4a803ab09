package io.hookline.management.admin;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.delivery.EventRouter;
import io.hookline.expression.EventContext;
import io.hookline.management.admin.PacedJobRunner.Batch;
import io.hookline.store.RerouteStore;
import io.hookline.store.RerouteStore.Candidate;
import io.hookline.store.RerouteStore.Position;
import io.hookline.store.RerouteStore.Scope;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-route jobs (replay of {@code filtered}): pages through the events that lack a delivery to some
 * destination, oldest first, decides each pair with today's {@code eventTypes} + {@code filter}
 * ({@link EventRouter#verdict}) and creates the deliveries that match now.
 */
final class RerouteJobs {
  private static final Logger LOG = LoggerFactory.getLogger("hookline.audit");
  static final int MAX_BATCH = 200;

  private final PacedJobRunner runner;
  private final RerouteStore reroutes;
  private final WorkerWakeUp wakeUp;
  private final HooklineConfig config;

  RerouteJobs(PacedJobRunner runner, RerouteStore reroutes, WorkerWakeUp wakeUp, HooklineConfig config) {
    this.runner = runner;
    this.reroutes = reroutes;
    this.wakeUp = wakeUp;
    this.config = config;
  }

  void start(UUID jobId, Scope scope) {
    runner.start(jobId, null, new PacedJobRunner.Job<Position>() {
      @Override
      public String name() {
        return "re-route";
      }

      @Override
      public int maxBatch() {
        return MAX_BATCH;
      }

      @Override
      public Future<Batch<Position>> batch(Position after, int size) {
        return reroutes.filtered(scope, after, size).compose(b -> {
          if (b.events().isEmpty()) {
            return Future.succeededFuture(new Batch<>(0, null));
          }
          List<UUID> events = new ArrayList<>();
          List<String> sources = new ArrayList<>();
          List<String> destinations = new ArrayList<>();
          for (Candidate c : b.events()) {
            decide(c, events, sources, destinations);
          }
          if (events.isEmpty()) {
            return Future.succeededFuture(new Batch<>(0, b.last()));
          }
          return reroutes.route(jobId, events.toArray(UUID[]::new), sources.toArray(String[]::new),
              destinations.toArray(String[]::new)).map(n -> {
                if (n > 0) {
                  wakeUp.wake(jobId);
                }
                return new Batch<>(n, b.last());
              });
        });
      }

      @Override
      public Future<Void> ended(String state, Throwable cause, long total) {
        if (cause != null) {
          LOG.warn("re-route job {} failed: {}", jobId, cause.toString());
        } else {
          LOG.info("re-route job {} done", jobId);
        }
        return Future.succeededFuture();
      }
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
}
