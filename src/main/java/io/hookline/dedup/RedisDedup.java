package io.hookline.dedup;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis fast path of dedup, one pipelined connection per event loop (reconnected lazily);
 * commands issued in one event-loop turn go out as one batch.
 * A key holds {@code p:<id>} while its event is being committed and {@code c:<id>} once it is, so
 * only a committed event is ever answered {@code duplicate:true} from Redis alone. Any Redis
 * failure degrades to {@link DedupResult#UNAVAILABLE}: PostgreSQL's unique key then decides.
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

  public RedisDedup(Vertx vertx, String url, String prefix, long timeoutMs, DedupMetrics metrics) {
    this.vertx = vertx;
    this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxWaitingHandlers(16_384));
    this.prefix = prefix;
    this.timeoutMs = timeoutMs;
    this.metrics = metrics;
    this.context = vertx.getOrCreateContext();
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

  /** After the commit: later copies can be answered from Redis alone. Best effort. */
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

  public Future<Void> ping() {
    return send(Request.cmd(Command.PING)).mapEmpty();
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

  /** Runs on this event loop; so do the timeout and every completion (a context-less timeout would not). */
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
      } else if (requests.size() == 1) {
        c.result().send(requests.get(0)).onComplete(ar -> {
          if (ar.succeeded()) {
            promises.get(0).tryComplete(ar.result());
          } else {
            promises.get(0).tryFail(ar.cause());
          }
          done.tryComplete();
        });
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
