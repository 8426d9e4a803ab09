package io.hookline.delivery;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.expression.DestinationExpressions;
import io.vertx.core.Vertx;

/** Builds the {@link Destination} of a configured destination: the one place that knows every kind. */
final class Destinations {
  private Destinations() {
  }

  static Destination open(Vertx vertx, BrokerConnections brokers, SourceConfig source, DestinationConfig d) {
    HooklineConfig.Broker broker = d.broker();
    if (broker == null) {
      return new HttpDestination(vertx, source.id(), d);
    }
    MessageKey key = MessageKey.of(DestinationExpressions.brokerKey(source, d));
    if (broker instanceof HooklineConfig.Kafka k) {
      return new KafkaDestination(vertx, brokers, k, key);
    }
    if (broker instanceof HooklineConfig.RabbitMq r) {
      return new RabbitMqDestination(vertx, brokers, r, key);
    }
    if (broker instanceof HooklineConfig.Nats n) {
      return new NatsDestination(vertx, brokers, n, key);
    }
    return new RedisStreamDestination(vertx, brokers, (HooklineConfig.RedisStream) broker);
  }
}
