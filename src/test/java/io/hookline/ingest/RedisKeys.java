package io.hookline.ingest;

import io.hookline.testing.TestServices;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/** Test helper: makes Redis "lose" one test's keys (like a flush, without touching other tests). */
final class RedisKeys {
  private RedisKeys() {}

  static long deleteByPrefix(String prefix) {
    Vertx vertx = Vertx.vertx();
    try {
      Redis redis = Redis.createClient(vertx, TestServices.redisUrl());
      Response keys = redis.send(Request.cmd(Command.KEYS).arg(prefix + "*")).await();
      long deleted = 0;
      for (Response k : keys) {
        deleted += redis.send(Request.cmd(Command.DEL).arg(k.toString())).await().toLong();
      }
      redis.close();
      return deleted;
    } finally {
      vertx.close().await();
    }
  }
}
