package io.hookline.delivery;

import io.hookline.config.HooklineConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kafka topic: one record per attempt, the body as value, the metadata as record headers. Delivered
 * when the idempotent producer's send is acknowledged by all in-sync replicas ({@code acks=all}).
 * The producer runs its blocking calls on its own worker thread, never on an event loop.
 */
final class KafkaDestination implements Destination {
  /** The node's producer for one topic of one bootstrap list, shared by every Kafka destination publishing there. */
  static final class Connection extends BrokerConnectionBase {
    /**
     * How long a send may wait for the topic's metadata: a missing topic fails after this, clearly. The
     * producer's sends run one at a time on its worker thread, so this also bounds how long one send
     * to a missing topic holds up the next ones to it.
     */
    static final int MAX_BLOCK_MS = 2000;
    /** Built on a worker thread: the producer's constructor resolves the bootstrap names (blocking). */
    final Future<KafkaProducer<String, Buffer>> producer;

    Connection(Vertx vertx, HooklineConfig.Kafka config) {
      super("kafka", endpointOf(config), null);
      this.producer = vertx.executeBlocking(() -> {
        Map<String, String> settings = new HashMap<>(Map.of(
            "bootstrap.servers", config.bootstrap(),
            "acks", "all",
            "enable.idempotence", "true",
            "max.in.flight.requests.per.connection", "5",
            "max.block.ms", Integer.toString(MAX_BLOCK_MS),
            "request.timeout.ms", "10000",
            "delivery.timeout.ms", "30000",
            "reconnect.backoff.max.ms", "2000",
            "client.id", "hookline"));
        settings.putAll(securitySettings(config));
        // Not createShared: that shares by name, which leaves the credentials out; BrokerConnections shares instead.
        KafkaProducer<String, Buffer> p = KafkaProducer.create(vertx, settings, String.class, Buffer.class);
        // Send failures reach each send's future; without a handler they would also be logged as errors.
        p.exceptionHandler(err -> { });
        return p;
      });
      producer.onFailure(err -> lastError = DestinationTarget.describe(err));
    }

    /** The secrets a producer is made with: destinations share one only when these are equal too. */
    static String credentialsOf(HooklineConfig.Kafka config) {
      StringBuilder out = new StringBuilder();
      if (config.tls() != null) {
        out.append(config.tls().key() == null ? "" : config.tls().key().value()).append('\0')
            .append(config.tls().keyPassword() == null ? "" : config.tls().keyPassword().value()).append('\0');
      }
      if (config.sasl() != null) {
        out.append(config.sasl().password().value());
      }
      return out.toString();
    }

    /**
     * A producer's name: bootstrap, topic, TLS files and SASL mechanism and user (the key and the
     * password are never part of it; {@link #credentialsOf} tells producers apart by those).
     */
    static String endpointOf(HooklineConfig.Kafka config) {
      String base = config.bootstrap() + "/" + config.topic();
      List<String> security = new ArrayList<>(2);
      if (config.tls() != null) {
        security.add(config.tls().describe());
      }
      if (config.sasl() != null) {
        security.add(config.sasl().describe());
      }
      return security.isEmpty() ? base : base + " (" + String.join(", ", security) + ")";
    }

    /** {@code security.protocol} and the TLS and SASL settings that go with it. Read on a worker thread. */
    static Map<String, String> securitySettings(HooklineConfig.Kafka config) throws java.io.IOException {
      Map<String, String> out = tlsSettings(config.tls());
      out.putAll(saslSettings(config.sasl()));
      out.put("security.protocol", config.securityProtocol());
      return out;
    }

    /**
     * The producer's SASL settings: the mechanism and a JAAS line with the user name and password
     * ({@code sasl.jaas.config} is a Kafka {@code Password} setting, printed as [hidden]).
     */
    static Map<String, String> saslSettings(HooklineConfig.KafkaSasl sasl) {
      if (sasl == null) {
        return Map.of();
      }
      String module = sasl.mechanism().equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
          : "org.apache.kafka.common.security.scram.ScramLoginModule";
      return Map.of("sasl.mechanism", sasl.mechanism(),
          "sasl.jaas.config", module + " required username=" + jaasQuoted(sasl.username())
              + " password=" + jaasQuoted(sasl.password().value()) + ";");
    }

    /** A JAAS option value in double quotes: Kafka's parser (a StreamTokenizer) reads backslash escapes there. */
    static String jaasQuoted(String value) {
      return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * The producer's SSL settings: PEM trust store file, PEM client chain and key (Kafka's
     * {@code Password} settings, which its config log prints as [hidden]). Read on a worker thread.
     */
    static Map<String, String> tlsSettings(HooklineConfig.KafkaTls tls) throws java.io.IOException {
      Map<String, String> out = new HashMap<>();
      if (tls == null) {
        return out;
      }
      if (tls.caFile() != null) {
        out.put("ssl.truststore.type", "PEM");
        out.put("ssl.truststore.location", tls.caFile());
      }
      if (tls.certFile() != null) {
        out.put("ssl.keystore.type", "PEM");
        out.put("ssl.keystore.certificate.chain", Files.readString(Path.of(tls.certFile()), StandardCharsets.US_ASCII));
        out.put("ssl.keystore.key", tls.key().value());
        if (tls.keyPassword() != null) {
          out.put("ssl.key.password", tls.keyPassword().value());
        }
      }
      return out;
    }

    void sent(Throwable err) {
      lastError = err == null ? null : DestinationTarget.describe(err);
    }

    @Override
    public Future<Void> close() {
      return producer.transform(ar -> ar.succeeded() ? ar.result().close() : Future.succeededFuture());
    }
  }

  private final Connection connection;
  private final BrokerConnections brokers;
  private final String topic;
  private final MessageKey key;

  KafkaDestination(Vertx vertx, BrokerConnections brokers, HooklineConfig.Kafka config, MessageKey key) {
    this.brokers = brokers;
    // One producer per topic: its sends run one at a time, and a missing topic's metadata waits must not
    // hold up the other topics' records.
    this.connection = brokers.acquire("kafka", Connection.endpointOf(config), Connection.credentialsOf(config),
        () -> new Connection(vertx, config));
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
    m.forEachBrokerHeader(record::addHeader);
    connection.producer.compose(p -> p.send(record)).onComplete(ar -> {
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
