package io.hookline.delivery;

import io.hookline.config.HooklineConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.Map;

/**
 * A Kafka topic: one record per attempt, the body as value, the metadata as record headers. Delivered
 * when the idempotent producer's send is acknowledged by all in-sync replicas ({@code acks=all}).
 * The producer runs its blocking calls on its own worker thread, never on an event loop.
 */
final class KafkaDestination implements Destination {
  /** The node's producer for one bootstrap list, shared by every Kafka destination there. */
  static final class Connection implements BrokerConnection {
    /** How long a send may wait for the topic's metadata: a missing topic fails after this, clearly. */
    static final int MAX_BLOCK_MS = 5000;
    private final String bootstrap;
    final KafkaProducer<String, Buffer> producer;
    private volatile String lastError;

    Connection(Vertx vertx, String bootstrap) {
      this.bootstrap = bootstrap;
      this.producer = KafkaProducer.createShared(vertx, "hookline-kafka-" + bootstrap, Map.of(
          "bootstrap.servers", bootstrap,
          "acks", "all",
          "enable.idempotence", "true",
          "max.in.flight.requests.per.connection", "5",
          "max.block.ms", Integer.toString(MAX_BLOCK_MS),
          "request.timeout.ms", "10000",
          "delivery.timeout.ms", "30000",
          "reconnect.backoff.max.ms", "2000",
          "client.id", "hookline"), String.class, Buffer.class);
      // Send failures reach each send's future; without a handler they would also be logged as errors.
      producer.exceptionHandler(err -> { });
    }

    void sent(Throwable err) {
      lastError = err == null ? null : DestinationTarget.describe(err);
    }

    @Override
    public String kind() {
      return "kafka";
    }

    @Override
    public String endpoint() {
      return bootstrap;
    }

    /** The producer hides its connections: up until a send fails, again after one succeeds. */
    @Override
    public boolean up() {
      return lastError == null;
    }

    @Override
    public String lastError() {
      return lastError;
    }

    @Override
    public Future<Void> close() {
      return producer.close();
    }
  }

  private final Connection connection;
  private final BrokerConnections brokers;
  private final String topic;
  private final MessageKey key;

  KafkaDestination(Vertx vertx, BrokerConnections brokers, HooklineConfig.Kafka config, MessageKey key) {
    this.brokers = brokers;
    this.connection = brokers.acquire("kafka", config.bootstrap(), () -> new Connection(vertx, config.bootstrap()));
    this.topic = config.topic();
    this.key = key;
  }

  @Override
  public String kind() {
    return "kafka";
  }

  @Override
  public void send(DeliveryMessage m, InFlight attempt) throws io.hookline.expression.ExpressionException {
    KafkaProducerRecord<String, Buffer> record = KafkaProducerRecord.create(topic, key.of(m), m.body());
    m.forEachHeader(record::addHeader);
    connection.producer.send(record).onComplete(ar -> {
      connection.sent(ar.cause());
      attempt.complete(ar.succeeded() ? AttemptResponse.durablyAcknowledged()
          : AttemptResponse.failed("kafka: " + DestinationTarget.describe(ar.cause())));
    });
  }

  @Override
  public Future<Void> close() {
    return brokers.release(connection);
  }
}
