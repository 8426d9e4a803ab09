package io.hookline.delivery;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code rateLimit}: one budget per destination shared by every node, in Redis. A GCRA ("virtual
 * scheduling") bucket: each call reserves the next free slot, one per interval (rate N/s: every
 * 1000/N ms; burst 1, so any one-second window holds at most N + 1 attempts), and answers how long
 * to wait for it; a slot further away than the caller can wait is not reserved (negative answer).
 * When Redis fails, each node spaces its own attempts by interval × live nodes (its share of the
 * limit); the node count comes from a heartbeat sorted set (member = node id, score = last beat,
 * older than {@value #HEARTBEAT_TTL_MS} ms = gone), refreshed every {@value #HEARTBEAT_EVERY_MS} ms.
 * Created only when a destination has a rateLimit. Confined to the worker's context.
 */
final class RateLimiter {
  static final long HEARTBEAT_EVERY_MS = 5000;
  static final long MIN_TIMEOUT_MS = 2000;
  static final long HEARTBEAT_TTL_MS = 15000;
  // KEYS[1] bucket; ARGV[1] interval ms, ARGV[2] longest wait ms. Returns the wait (>= 0) or -wait when too far.
  private static final String RESERVE = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
      local interval = tonumber(ARGV[1])
      local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
      if tat < now then tat = now end
      local wait = tat - now
      if wait > tonumber(ARGV[2]) then return -math.ceil(wait) end
      redis.call('SET', KEYS[1], string.format('%.3f', tat + interval), 'PX', math.ceil(wait + interval) + 1000)
      return math.ceil(wait)
      """;
  // KEYS[1] heartbeat set; ARGV[1] node id, ARGV[2] ttl ms. Returns the live node count.
  private static final String HEARTBEAT = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      redis.call('ZADD', KEYS[1], now, ARGV[1])
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
      redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
      return redis.call('ZCARD', KEYS[1])
      """;
  private static final String RESERVE_SHA = sha1(RESERVE);
  private static final String HEARTBEAT_SHA = sha1(HEARTBEAT);

  private final Redis redis;
  private final String prefix;
  private final String nodeId;
  private final NodeDeliveryState node;
  private final long timer;
  private final Vertx vertx;
  private final long timeoutMs;

  RateLimiter(Vertx vertx, String redisUrl, String prefix, long timeoutMs, String nodeId, NodeDeliveryState node) {
    this.vertx = vertx;
    // A slow answer is not a down Redis: falling back too eagerly spends the local share on top of the shared budget.
    this.timeoutMs = Math.max(MIN_TIMEOUT_MS, timeoutMs);
    this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl).setMaxWaitingHandlers(4096));
    this.prefix = prefix;
    this.nodeId = nodeId;
    this.node = node;
    heartbeat();
    this.timer = vertx.setPeriodic(HEARTBEAT_EVERY_MS, id -> heartbeat());
  }

  /** Milliseconds until this attempt's slot (reserved), or minus the wait when it is further than the caller may wait. */
  Future<Long> reserve(DestinationTarget t, long maxWaitMs) {
    double interval = t.config.rateLimit().intervalMillis();
    String key = prefix + "rate:" + t.sourceId + ":" + t.config.id();
    // Redis down or slower than redis.timeout: this node's share of the budget, spaced locally.
    Promise<Long> slot = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, id -> slot.tryComplete(localSlot(t, interval, maxWaitMs)));
    script(RESERVE_SHA, RESERVE, key, fmt(interval), Long.toString(Math.max(0, maxWaitMs))).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (!slot.future().isComplete()) {
        slot.complete(ar.succeeded() ? ar.result().toLong() : localSlot(t, interval, maxWaitMs));
      }
    });
    return slot.future();
  }

  private long localSlot(DestinationTarget t, double interval, long maxWaitMs) {
    return node.localRateSlot(t.key, interval * node.liveNodes(), maxWaitMs);
  }

  private void heartbeat() {
    script(HEARTBEAT_SHA, HEARTBEAT, prefix + "nodes", nodeId, Long.toString(HEARTBEAT_TTL_MS))
        .onSuccess(n -> node.liveNodes(Math.max(1, n.toInteger())));
  }

  private Future<Response> script(String sha, String source, String key, String... args) {
    Request evalsha = Request.cmd(Command.EVALSHA).arg(sha).arg(1).arg(key);
    for (String a : args) {
      evalsha.arg(a);
    }
    return redis.send(evalsha).recover(err -> {
      if (err.getMessage() == null || !err.getMessage().startsWith("NOSCRIPT")) {
        return Future.failedFuture(err);
      }
      Request eval = Request.cmd(Command.EVAL).arg(source).arg(1).arg(key);
      for (String a : args) {
        eval.arg(a);
      }
      return redis.send(eval);
    });
  }

  void close() {
    vertx.cancelTimer(timer);
    redis.close();
  }

  private static String fmt(double d) {
    return String.format(java.util.Locale.ROOT, "%.3f", d);
  }

  private static String sha1(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
