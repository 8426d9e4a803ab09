package io.hookline.delivery;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.overview.TrafficRecorder;
import io.hookline.store.ClaimedDelivery;
import io.hookline.store.Deliveries;
import io.hookline.store.DeliveryLeases;
import io.hookline.store.DeliveryResults;
import io.hookline.store.DestinationStates;
import io.hookline.store.Events;
import io.hookline.store.GroupCommitter;
import io.hookline.store.PreparedPlans;
import io.hookline.tracing.Tracing;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers stored events to their destinations; any number of instances per node, any number of
 * nodes on one database. The verticle only wires the stages together: {@link ClaimLoop} (where
 * attempts come from: the in-memory hand-off, and claims from PostgreSQL, under the permits),
 * {@link Attempts} (send, {@link AttemptOutcome decide}, {@link DeliveryResults write back}) and the
 * drain ({@link #stop}). If the node dies, its leases expire and any other worker picks the
 * deliveries up; a node restarting under the same id takes its leases back at once.
 */
public final class DeliveryWorker extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
  /** Added to a destination's timeout for its lease: the claim-to-send and result-to-commit slack. */
  static final Duration LEASE_MARGIN = Duration.ofSeconds(5);
  private static final long PENDING_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);
  /** After the drain deadline, how long aborted attempts get to write their result back. */
  private static final long ABORT_GRACE_MS = 2000;
  private static final long ERROR_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  static final String ABORTED = AttemptOutcome.ABORTED;

  private final HooklineConfig config;
  private final String nodeId;
  private final MeterRegistry registry;
  /** Null: delivery attempts are not tallied for the overview. */
  private TrafficRecorder traffic;
  private final Handoff handoff;
  private final Map<String, DestinationTarget> targets = new LinkedHashMap<>();
  private final List<DestinationTarget> targetOrder = new ArrayList<>();

  private String stateKey;
  private NodeDeliveryState state;
  private String leaseOwner;
  private Pool pool;
  private DeliveryLeases leases;
  private Deliveries deliveries;
  private ClaimLoop claims;
  private Attempts attempts;
  private MessageConsumer<String> hints;
  private MessageConsumer<String> stateChanges;
  private DestinationStates destinationStates;
  private RateLimiter rates;
  private boolean circuitBreakers;
  private MessageConsumer<HandedOffEvent> handoffs;
  private long pollTimer = -1;
  private boolean stopping;
  private Promise<Void> drained;
  private long lastErrorLogNanos = Long.MIN_VALUE;
  private final Tracing tracing;

  /** With its own hand-off (nothing is handed to it unless ingest shares this one). */
  public DeliveryWorker(HooklineConfig config, String nodeId, MeterRegistry registry) {
    this(config, nodeId, registry, new Handoff(config, nodeId));
  }

  public DeliveryWorker(HooklineConfig config, String nodeId, MeterRegistry registry, Handoff handoff) {
    this(config, nodeId, registry, handoff, Tracing.NONE);
  }

  public DeliveryWorker(HooklineConfig config, String nodeId, MeterRegistry registry, Handoff handoff,
                        Tracing tracing, TrafficRecorder traffic) {
    this(config, nodeId, registry, handoff, tracing);
    this.traffic = traffic;
  }

  public DeliveryWorker(HooklineConfig config, String nodeId, MeterRegistry registry, Handoff handoff,
                        Tracing tracing) {
    this.tracing = tracing;
    this.config = config;
    this.nodeId = nodeId;
    this.registry = registry;
    this.handoff = handoff;
  }

  /**
   * Event-loop verticles, not workers: every step (HTTP client, pg client, timers) is asynchronous,
   * and a worker context would add two thread hops per callback on a machine whose cores ingest is
   * already saturating; the event loops' FIFO task queues give delivery its share of CPU.
   */
  public static DeploymentOptions deploymentOptions(HooklineConfig config) {
    return new DeploymentOptions().setThreadingModel(ThreadingModel.EVENT_LOOP).setInstances(config.delivery().instances());
  }

  /** This instance's lease owner: the node id plus an instance number unique on the node. */
  public String leaseOwner() {
    return leaseOwner;
  }

  @Override
  public Future<?> start() {
    stateKey = nodeId + "|" + config.postgres().schema();
    state = NodeDeliveryState.acquire(vertx, stateKey);
    leaseOwner = nodeId + "/" + state.nextInstanceNumber();
    Gauge.builder("hookline.events.pending", state, NodeDeliveryState::pending)
        .description("Deliveries not yet delivered, dead or gone (all nodes; refreshed every few seconds)")
        .strongReference(true)
        .register(registry);
    Gauge.builder("hookline.delivery.handoff", handoff, Handoff::held)
        .description("Deliveries handed from ingest to this node's delivery verticles in memory, not started yet")
        .strongReference(true)
        .register(registry);
    pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(config.postgres().poolSize()).setName("hookline-delivery-" + leaseOwner))
        .connectingTo(PreparedPlans.connectOptions(config.postgres().url()))
        .using(vertx)
        .build();
    leases = new DeliveryLeases(pool, config.postgres().schema());
    deliveries = new Deliveries(pool, config.postgres().schema());
    BrokerConnections brokers = BrokerConnections.of(vertx);
    for (SourceConfig source : config.sources()) {
      for (DestinationConfig d : source.destinations()) {
        DestinationTarget t = new DestinationTarget(vertx, source, d, config.delivery().lease(), registry,
            Destinations.open(vertx, brokers, source, d), traffic);
        targets.put(t.key, t);
        targetOrder.add(t);
      }
    }
    // Results never outnumber the attempts in flight, so the node's cap bounds their queue.
    DeliveryResults results = new DeliveryResults(pool, config.postgres().schema(),
        GroupCommitter.Limits.of(config.store()).withQueueCapacity(config.delivery().maxInFlight())
            .withLinger(config.delivery().resultLinger()));
    destinationStates = new DestinationStates(pool, config.postgres().schema());
    boolean rateLimited = targetOrder.stream().anyMatch(t -> t.config.rateLimit() != null);
    circuitBreakers = targetOrder.stream().anyMatch(t -> t.config.circuitBreaker() != null);
    // Redis only when a destination has a rateLimit: without one delivery never talks to Redis.
    rates = rateLimited && config.redis().url() != null
        ? new RateLimiter(vertx, config.redis().url(), config.redis().keyPrefix(),
            config.redis().timeout().toMillis(), nodeId, state) : null;
    DestinationControls controls = new DestinationControls(vertx, state, destinationStates, leases, rates);
    registerStateGauges();
    attempts = new Attempts(vertx, nodeId, results, this::permitFreed, this::logError, controls,
        tracing, new EventFacts(new Events(pool, config.postgres().schema())));
    claims = new ClaimLoop(vertx, config.delivery(), state, handoff, leases, leaseOwner, targets, targetOrder,
        attempts::start, err -> logError("claiming due deliveries failed (retrying every poll interval)", err), controls);
    Handoff.registerCodec(vertx.eventBus());
    hints = vertx.eventBus().localConsumer(DeliveryAddresses.EVENT_COMMITTED, message -> claims.hinted());
    // Answered once the node holds the new state: the admin API replies to a pause only then.
    stateChanges = vertx.eventBus().localConsumer(DeliveryAddresses.DESTINATION_STATE_CHANGED,
        message -> refreshStates(true).onComplete(ar -> message.reply(null)));
    handoffs = vertx.eventBus().localConsumer(Handoff.ADDRESS, message -> claims.handedOff(message.body()));
    // Before the first claim: what a previous run under this node id held is ours again at once.
    Future<Void> takenBack = state.takeBack(() -> leases.takeBack(nodeId)
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("node {} took back {} leases held by its previous run", nodeId, n);
          }
        })
        .onFailure(err -> LOG.warn("node {} could not take back its previous run's leases ({}); they expire on their own",
            nodeId, err.toString())));
    // The take-back may have run on another instance's context: continue on this one.
    Promise<Void> here = Promise.promise();
    io.vertx.core.Context context = vertx.getOrCreateContext();
    takenBack.onComplete(ar -> context.runOnContext(v -> here.handle(ar)));
    return here.future()
        .compose(v -> Future.all(hints.completion(), handoffs.completion(), stateChanges.completion()))
        // Before the first claim (the one start-up read): a destination paused (or open) before this
        // node started stays so here.
        .compose(v -> refreshStates(true)
            .recover(err -> Future.succeededFuture()))
        .onSuccess(v -> {
          handoff.consumerRegistered();
          pollTimer = vertx.setPeriodic(config.delivery().pollInterval().toMillis(), id -> {
            refreshPending();
            refreshStates(false);
            claims.wake();
          });
          LOG.info("delivery worker {} started: {} destinations, poll every {} ms", leaseOwner, targetOrder.size(),
              config.delivery().pollInterval().toMillis());
          refreshPending();
          claims.wake();
        });
  }

  /**
   * Re-reads destination_states once per node: every poll interval when a destination has a circuit
   * breaker (its state moves with every failure, on any node), else every few seconds (only a manual
   * pause on another node can change it; this node's own admin API signals at once).
   */
  private Future<Void> refreshStates(boolean force) {
    long interval = circuitBreakers ? config.delivery().pollInterval().toNanos() : PENDING_REFRESH_NANOS;
    if (stopping || !state.claimStatesRefresh(interval, force)) {
      return Future.succeededFuture();
    }
    long read = state.startStatesRead();
    return destinationStates.all().onSuccess(fresh -> {
      state.destinationStates(read, fresh);
      if (force) {
        claims.wake();
      }
    }).mapEmpty();
  }

  /** {@code hookline_destination_state{source,destination,state}}: 1 for the current state, 0 for the others. */
  private void registerStateGauges() {
    for (DestinationTarget t : targetOrder) {
      for (String label : new String[] {"closed", "open", "paused"}) {
        Gauge.builder("hookline.destination.state", state, s -> label.equals(s.destinationState(t.key).label()) ? 1 : 0)
            .description("A destination's state: closed (sending), open (circuit breaker), paused (by hand)")
            .tags("source", t.sourceId, "destination", t.config.id(), "state", label)
            .strongReference(true)
            .register(registry);
      }
    }
  }

  private void permitFreed(DestinationTarget t) {
    if (stopping) {
      checkDrained();
    } else {
      claims.permitFreed(t);
    }
  }

  private void refreshPending() {
    if (!stopping && state.claimPendingRefresh(PENDING_REFRESH_NANOS)) {
      deliveries.pendingCount().onSuccess(state::pending);
    }
  }

  // ------------------------------------------------------------------ the drain

  /**
   * Stops taking work, hands back the handed-off deliveries not started yet, lets attempts in
   * flight finish until {@code delivery.drainTimeout}, aborts the rest (recorded as {@value #ABORTED},
   * due again at once), then releases every lease this instance still holds so another node can take
   * over without waiting for expiry.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
    }
    if (leases == null) {
      // start() failed before anything could be claimed: nothing to drain or release.
      return pool == null ? Future.succeededFuture() : pool.close();
    }
    claims.stop();
    attempts.stopping();
    drained = Promise.promise();
    claims.onIdle(this::checkDrained);
    checkDrained();
    long drainMs = config.delivery().drainTimeout().toMillis();
    handoff.consumerUnregistered();
    Future<Void> unregistered = Future.join(hints.unregister(), handoffs.unregister(), stateChanges.unregister()).mapEmpty();
    if (rates != null) {
      rates.close();
    }
    return unregistered
        .transform(ar -> {
          List<ClaimedDelivery> unstarted = claims.takeUnstarted();
          if (unstarted.isEmpty()) {
            return Future.succeededFuture();
          }
          return leases.releaseUnstarted(handoff.leaseOwner(), unstarted)
              .onSuccess(n -> LOG.info("delivery worker {} handed back {} deliveries it had not started", leaseOwner, n))
              .onFailure(err -> LOG.warn("delivery worker {} could not hand back {} unstarted deliveries ({}); "
                  + "their leases expire on their own", leaseOwner, unstarted.size(), err.toString()));
        })
        .transform(ar -> withTimeout(drained.future(), drainMs))
        .transform(ar -> {
          if (attempts.inFlight() == 0) {
            return Future.succeededFuture();
          }
          LOG.warn("delivery worker {}: drain deadline reached with {} attempts in flight; aborting them",
              leaseOwner, attempts.inFlight());
          return withTimeout(attempts.abortAll(ABORTED + ": node stopping"), ABORT_GRACE_MS);
        })
        .transform(ar -> leases.release(leaseOwner)
            .onSuccess(n -> {
              if (n > 0) {
                LOG.info("delivery worker {} released {} leases", leaseOwner, n);
              }
            })
            .onFailure(err -> LOG.warn("delivery worker {} could not release its leases ({}); they expire on their own",
                leaseOwner, err.toString())))
        .transform(ar -> {
          List<Future<Void>> closing = new ArrayList<>();
          targetOrder.forEach(t -> closing.add(t.close()));
          closing.add(pool.close());
          return Future.join(closing);
        })
        .eventually(() -> {
          NodeDeliveryState.release(vertx, stateKey, state);
          return Future.succeededFuture();
        });
  }

  private void checkDrained() {
    if (drained != null && attempts.inFlight() == 0 && !claims.polling()) {
      drained.tryComplete();
    }
  }

  private Future<Void> withTimeout(Future<Void> f, long ms) {
    Promise<Void> p = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, ms), id -> p.tryComplete());
    f.onComplete(ar -> {
      vertx.cancelTimer(timer);
      p.tryComplete();
    });
    return p.future();
  }

  private void logError(String what, Throwable err) {
    long now = System.nanoTime();
    if (lastErrorLogNanos == Long.MIN_VALUE || now - lastErrorLogNanos >= ERROR_LOG_INTERVAL_NANOS) {
      lastErrorLogNanos = now;
      LOG.warn("delivery worker {}: {}: {}", leaseOwner, what, err.toString());
    }
  }
}
