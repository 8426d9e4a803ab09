package io.hookline.delivery;

import io.hookline.config.HooklineConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;

/**
 * A Redis stream: one entry per attempt ({@code XADD}), the metadata as fields and the body as the
 * {@code body} field. Delivered when XADD replies with the entry's id. The stream must exist
 * ({@code NOMKSTREAM}): a missing one is a failed attempt, not a stream created by a typo.
 */
final class RedisStreamDestination implements Destination {
  /** The node's client for one Redis server, shared by every stream destination there. */
  static final class Connection extends BrokerConnectionBase {
    final Redis client;

    Connection(Vertx vertx, String url, String endpoint) {
      super("redisStream", endpoint, null);
      this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url)
          .setMaxPoolSize(8).setMaxPoolWaiting(10_000));
    }

    void sent(String error) {
      lastError = error;
    }





    @Override
    public Future<Void> close() {
      client.close();
      return Future.succeededFuture();
    }
  }

  private final Connection connection;
  private final BrokerConnections brokers;
  private final String stream;
  private final Long maxLen;

  RedisStreamDestination(Vertx vertx, BrokerConnections brokers, HooklineConfig.RedisStream config) {
    this.brokers = brokers;
    this.connection = brokers.acquire("redisStream", config.endpoint(), config.url().value(),
        () -> new Connection(vertx, config.url().value(), config.endpoint()));
    this.stream = config.stream();
    this.maxLen = config.maxLen();
  }

  @Override
  public String kind() {
    return "redisStream";
  }

  @Override
  public void send(DeliveryMessage m, InFlight attempt) {
    Request xadd = Request.cmd(Command.XADD).arg(stream).arg("NOMKSTREAM");
    if (maxLen != null) {
      xadd.arg("MAXLEN").arg("~").arg(maxLen);
    }
    xadd.arg("*");
    m.forEachBrokerHeader((name, value) -> xadd.arg(name).arg(value));
    xadd.arg("body").arg(m.body());
    connection.client.send(xadd).onComplete(ar -> {
      String error = ar.failed() ? "redis: " + DestinationTarget.describe(ar.cause())
          : ar.result() == null ? "redis: no such stream '" + stream + "' (XADD NOMKSTREAM; create it first)" : null;
      connection.sent(ar.failed() ? error : null);
      attempt.complete(error == null ? AttemptResponse.durablyAcknowledged() : AttemptResponse.failed(error));
    });
  }

  @Override
  public Future<Void> close() {
    return brokers.release(connection);
  }
}
