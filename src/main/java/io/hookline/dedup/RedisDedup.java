package io.hookline.dedup;

import io.hookline.config.ConfigKeys;
import io.hookline.config.HooklineConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis fast path of dedup, one pipelined connection per event loop (reconnected lazily);
 * commands issued in one event-loop turn go out as one batch (in cluster mode each on its own, see
 * {@link #flushTurn()}). Keys carry no hash tag, so in a cluster they spread over every slot.
 * A key holds {@code p:<id>} from its claim on, and {@code c:<id>} once PostgreSQL has confirmed a
 * later copy to be a duplicate of committed event {@code id}: an accepted event costs one command
 * (the claim), the first copy of it costs a trip to PostgreSQL, and every further copy is answered
 * {@code duplicate:true} from Redis alone. A claim never answers a copy by itself, since its commit
 * may have failed without the release reaching Redis. Any Redis failure degrades to
 * {@link DedupResult#UNAVAILABLE}: PostgreSQL's unique key then decides.
 */
public final class RedisDedup {
  private static final Logger LOG = LoggerFactory.getLogger(RedisDedup.class);
  /** Deletes the key only if it still holds our pending claim. */
  private static final String RELEASE_SCRIPT =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
  private static final long RECONNECT_BACKOFF_MS = 1000;

  private final Vertx vertx;
  private final Redis client;
  private final String prefix;
  private final boolean cluster;
  private final long timeoutMs;
  private final DedupMetrics metrics;
  private final Context context;
  /** Commands issued during the current event-loop turn, sent together at its end (one write, one round trip). */
  private List<Request> turnRequests = new ArrayList<>();
  private List<Promise<Response>> turnPromises = new ArrayList<>();
  private RedisConnection connection;
  private Future<RedisConnection> connecting;
  private long nextConnectAttempt;
  private long lastWarn;

  /** One standalone server. */
  public RedisDedup(Vertx vertx, String url, String prefix, long timeoutMs, DedupMetrics metrics) {
    this(vertx, new HooklineConfig.Redis(url, prefix, java.time.Duration.ofMillis(timeoutMs)), metrics);
  }

  /** A standalone server, a Redis Cluster or a Sentinel-managed master, as {@code redis.type} says. */
  public RedisDedup(Vertx vertx, HooklineConfig.Redis config, DedupMetrics metrics) {
    this.vertx = vertx;
    RedisOptions options = clientOptions(config);
    this.client = Redis.createClient(vertx, options);
    this.cluster = options.getType() == RedisClientType.CLUSTER;
    this.prefix = config.keyPrefix();
    this.timeoutMs = config.timeout().toMillis();
    this.metrics = metrics;
    this.context = vertx.getOrCreateContext();
  }

  /**
   * Standalone: {@code redis.url}. Cluster: the seed nodes (the client reads the slot map from any
   * of them and refreshes it every second). Sentinel: the sentinels, asked for the current
   * master's address at each (re)connect; writes always go to the master.
   */
  static RedisOptions clientOptions(HooklineConfig.Redis config) {
    RedisOptions options = new RedisOptions().setMaxWaitingHandlers(16_384);
    switch (config.type()) {
      case ConfigKeys.REDIS_CLUSTER -> {
        options.setType(RedisClientType.CLUSTER);
        config.urls().forEach(options::addConnectionString);
      }
      case ConfigKeys.REDIS_SENTINEL -> {
        options.setType(RedisClientType.SENTINEL).setMasterName(config.master()).setRole(RedisRole.MASTER);
        config.urls().forEach(options::addConnectionString);
      }
      default -> options.setType(RedisClientType.STANDALONE).setConnectionString(config.url());
    }
    return options;
  }

  public String key(String sourceId, String eventId) {
    return prefix + sourceId + ":" + eventId;
  }

  public Future<DedupResult> claim(String key, String hooklineId, long ttlMillis) {
    long start = System.nanoTime();
    return send(Request.cmd(Command.SET).arg(key).arg("p:" + hooklineId).arg("NX").arg("PX").arg(ttlMillis))
        .compose(set -> {
          if (set != null) {
            metrics.dedupRoundTrip(System.nanoTime() - start);
            return Future.succeededFuture(DedupResult.CLAIMED);
          }
          return send(Request.cmd(Command.GET).arg(key)).map(existing -> {
            metrics.dedupRoundTrip(System.nanoTime() - start);
            String v = existing == null ? null : existing.toString();
            if (v != null && v.startsWith("c:")) {
              return new DedupResult(DedupResult.Kind.COMMITTED_DUPLICATE, v.substring(2));
            }
            return DedupResult.CLAIMED_ELSEWHERE;
          });
        })
        .recover(err -> {
          unavailable(err);
          return Future.succeededFuture(DedupResult.UNAVAILABLE);
        });
  }

  /** Once PostgreSQL has confirmed a copy of committed event {@code hooklineId}: later copies stop at Redis. Best effort. */
  public void markCommitted(String key, String hooklineId, long ttlMillis) {
    send(Request.cmd(Command.SET).arg(key).arg("c:" + hooklineId).arg("PX").arg(ttlMillis))
        .onFailure(this::unavailable);
  }

  /** After a failed commit: free the key so the provider's retry is processed as new. */
  public Future<Void> release(String key, String hooklineId) {
    return send(Request.cmd(Command.EVAL).arg(RELEASE_SCRIPT).arg(1).arg(key).arg("p:" + hooklineId))
        .onFailure(this::unavailable)
        .<Void>mapEmpty()
        .recover(err -> Future.succeededFuture());
  }

  /**
   * Standalone and sentinel: PING the master. Cluster: {@code CLUSTER INFO} of some node must say
   * {@code cluster_state:ok} (a cluster missing a master refuses every key, whatever node answers).
   */
  public Future<Void> ping() {
    if (!cluster) {
      return send(Request.cmd(Command.PING)).mapEmpty();
    }
    return send(Request.cmd(Command.CLUSTER).arg("INFO")).compose(info -> {
      String text = info == null ? "" : info.toString();
      return text.contains("cluster_state:ok") ? Future.succeededFuture()
          : Future.failedFuture("Redis Cluster state is not ok");
    });
  }

  /**
   * Queues the command for the end of this event-loop turn: the claims of every request read in
   * one turn, and the commit marks of one group commit, go to Redis as one pipelined batch.
   */
  private Future<Response> send(Request request) {
    Promise<Response> p = Promise.promise();
    if (turnRequests.isEmpty()) {
      context.runOnContext(v -> flushTurn());
    }
    turnRequests.add(request);
    turnPromises.add(p);
    return p.future();
  }

  /**
   * Runs on this event loop; so do the timeout and every completion (a context-less timeout would not).
   * In cluster mode each command is sent on its own: Vert.x refuses a batch whose keys live on
   * different masters, and only single commands follow MOVED/ASK redirects during a failover or
   * resharding. They still leave in this turn without waiting for each other, pipelined on each
   * node's connection.
   */
  private void flushTurn() {
    List<Request> requests = turnRequests;
    List<Promise<Response>> promises = turnPromises;
    turnRequests = new ArrayList<>();
    turnPromises = new ArrayList<>();
    long timer = vertx.setTimer(timeoutMs, id -> {
      TimeoutException timeout = new TimeoutException("Redis did not answer within " + timeoutMs + " ms");
      promises.forEach(p -> p.tryFail(timeout));
    });
    Promise<Void> done = Promise.promise();
    done.future().onComplete(v -> vertx.cancelTimer(timer));
    connection().onComplete(c -> {
      if (c.failed()) {
        promises.forEach(p -> p.tryFail(c.cause()));
        done.tryComplete();
      } else if (requests.size() == 1 || cluster) {
        List<Future<Response>> answers = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
          Promise<Response> p = promises.get(i);
          answers.add(c.result().send(requests.get(i)).onComplete(ar -> {
            if (ar.succeeded()) {
              p.tryComplete(ar.result());
            } else {
              p.tryFail(ar.cause());
            }
          }));
        }
        Future.join(answers).onComplete(ar -> done.tryComplete());
      } else {
        c.result().batch(requests).onComplete(ar -> {
          for (int i = 0; i < promises.size(); i++) {
            if (ar.succeeded()) {
              promises.get(i).tryComplete(ar.result().get(i));
            } else {
              promises.get(i).tryFail(ar.cause());
            }
          }
          done.tryComplete();
        });
      }
    });
  }

  private Future<RedisConnection> connection() {
    if (connection != null) {
      return Future.succeededFuture(connection);
    }
    if (connecting != null) {
      return connecting;
    }
    long now = System.currentTimeMillis();
    if (now < nextConnectAttempt) {
      return Future.failedFuture("Redis reconnect backing off");
    }
    nextConnectAttempt = now + RECONNECT_BACKOFF_MS;
    Promise<RedisConnection> p = Promise.promise();
    connecting = p.future();
    client.connect().onComplete(ar -> {
      connecting = null;
      if (ar.succeeded()) {
        RedisConnection c = ar.result();
        c.exceptionHandler(err -> drop(c));
        c.endHandler(v -> drop(c));
        connection = c;
        p.complete(c);
      } else {
        p.fail(ar.cause());
      }
    });
    return p.future();
  }

  private void drop(RedisConnection c) {
    if (connection == c) {
      connection = null;
      c.close();
    }
  }

  private void unavailable(Throwable err) {
    metrics.redisUnavailable();
    if (err instanceof TimeoutException) {
      // A timed-out connection may be wedged: start afresh next time.
      RedisConnection c = connection;
      if (c != null) {
        drop(c);
      }
    }
    long now = System.currentTimeMillis();
    if (now - lastWarn > 10_000) {
      lastWarn = now;
      LOG.warn("Redis dedup unavailable ({}); falling back to PostgreSQL's unique key for dedup", err.getMessage());
    }
  }

  public Future<Void> close() {
    RedisConnection c = connection;
    connection = null;
    if (c != null) {
      c.close();
    }
    client.close();
    return Future.succeededFuture();
  }
}
