package io.hookline.ingest;

import io.hookline.testing.TestServices;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.function.Function;

/** Test helper over one test's Redis keys: make Redis "lose" them (like a flush, without touching other tests), or look one up. */
final class RedisKeys {
  private RedisKeys() {}

  static long deleteByPrefix(String prefix) {
    return withRedis(redis -> {
      Response keys = redis.send(Request.cmd(Command.KEYS).arg(prefix + "*")).await();
      long deleted = 0;
      for (Response k : keys) {
        deleted += redis.send(Request.cmd(Command.DEL).arg(k.toString())).await().toLong();
      }
      return deleted;
    });
  }

  /** Whether the key is set: a rejected request must not have claimed its event id. */
  static boolean exists(String key) {
    return withRedis(redis -> redis.send(Request.cmd(Command.EXISTS).arg(key)).await().toLong() > 0);
  }

  private static <T> T withRedis(Function<Redis, T> work) {
    Vertx vertx = Vertx.vertx();
    try {
      Redis redis = Redis.createClient(vertx, TestServices.redisUrl());
      try {
        return work.apply(redis);
      } finally {
        redis.close();
      }
    } finally {
      vertx.close().await();
    }
  }
}
