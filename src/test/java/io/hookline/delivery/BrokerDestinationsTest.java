package io.hookline.delivery;

import static io.hookline.delivery.Harness.await;
import static io.hookline.delivery.Harness.eventually;
import static io.hookline.delivery.Harness.source;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.hookline.config.HooklineConfig;
import io.hookline.testing.BrokerServices;
import io.hookline.testing.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ, NATS JetStream and Redis Streams destinations against the real brokers: each message is
 * the stored body byte for byte with the SPEC's metadata, keyed/routed by its CEL expression; a
 * destination whose queue, stream or subject does not exist fails clearly and goes dead after
 * maxAttempts; nothing is published twice when all goes well.
 */
class BrokerDestinationsTest {
  static final String FAST = "instances: 1, pollInterval: 100ms, drainTimeout: 2s";
  static final String RETRY = "timeout: 3s, initialBackoff: 50ms, maxBackoff: 200ms";
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final int N = 5;

  Harness h;
  SimpleMeterRegistry registry;
  String suffix;

  @BeforeEach
  void setUp() {
    h = new Harness();
    registry = new SimpleMeterRegistry();
    suffix = UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  /** The events' ids, bodies by id; each to both destinations "ok" and "missing". */
  Map<String, String> deliverTo(HooklineConfig cfg) {
    h.deploy(cfg, "node-a", registry);
    Map<String, String> bodies = new HashMap<>();
    for (int i = 0; i < N; i++) {
      String body = "{\"n\":" + i + ",\"s\":\"é\"}";
      UUID id = h.insertEvent("src", body, "ok", "missing");
      bodies.put(id.toString(), body);
      h.hint(id);
    }
    eventually(Duration.ofSeconds(30), "all delivered to ok, all dead at missing", () ->
        h.count("SELECT count(*) FROM {schema}.deliveries WHERE destination_id = 'ok' AND status = 'delivered'") == N
            && h.count("SELECT count(*) FROM {schema}.deliveries WHERE destination_id = 'missing' AND status = 'dead'") == N);
    return bodies;
  }

  String lastErrorOfMissing() {
    return h.query("SELECT last_error FROM {schema}.deliveries WHERE destination_id = 'missing' LIMIT 1")
        .iterator().next().getString(0);
  }

  /** The metadata SPEC lists, with a valid Standard Webhooks signature over the body. */
  static void assertMetadata(Map<String, String> meta, String id, String body) {
    assertThat(meta).containsEntry("webhook-id", id).containsEntry("hookline-source", "src")
        .containsEntry("hookline-type", "test.event").containsEntry("content-type", "application/json")
        .containsEntry("hookline-attempt", "1").containsKey("webhook-timestamp");
    long ts = Long.parseLong(meta.get("webhook-timestamp"));
    assertThat(meta.get("webhook-signature")).isEqualTo(StandardWebhooksSigner.sign(
        StandardWebhooksSigner.keyFromSecret(SECRET), id, ts, body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void rabbitmqConfirmedMandatoryPublishesRoutedByTheirExpression() throws Exception {
    String url = BrokerServices.rabbitmqUrl();
    String exchange = "hookline-test-" + suffix;
    String queue = "hookline-test-" + suffix;
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(url);
    try (com.rabbitmq.client.Connection c = f.newConnection(); Channel ch = c.createChannel()) {
      ch.exchangeDeclare(exchange, "direct", false, true, null);
      ch.queueDeclare(queue, false, false, true, null);
      ch.queueBind(queue, exchange, "src.test.event");
      HooklineConfig cfg = h.config(FAST, source("src",
          "      - id: ok\n        rabbitmq: { url: \"" + url + "\", exchange: " + exchange + ", routingKey: 'source + \".\" + type' }\n"
              + "        signingSecret: " + SECRET + "\n        " + RETRY.replace(", ", "\n        ") + "\n"
              + "      - id: missing\n        rabbitmq: { url: \"" + url + "\", exchange: " + exchange + ", routingKey: '\"nobody.bound\"' }\n"
              + "        maxAttempts: 2\n        " + RETRY.replace(", ", "\n        ") + "\n"));
      Map<String, String> bodies = deliverTo(cfg);
      assertThat(lastErrorOfMissing()).contains("rabbitmq: unroutable").contains("NO_ROUTE");
      // The shared connection's health (password masked) and the kind on the attempts' counter.
      io.vertx.core.json.JsonArray health = BrokerConnections.health(h.vertx);
      assertThat(health.encode()).contains("\"kind\":\"rabbitmq\"").contains("\"status\":\"UP\"")
          .doesNotContain("guest:guest");
      assertThat(registry.get("hookline.deliveries").tag("destination", "ok").tag("kind", "rabbitmq")
          .tag("outcome", "delivered").counter().count()).isEqualTo(N);
      Set<String> seen = new HashSet<>();
      GetResponse r;
      while ((r = ch.basicGet(queue, true)) != null) {
        Map<String, String> meta = new HashMap<>();
        r.getProps().getHeaders().forEach((k, v) -> meta.put(k, v.toString()));
        String id = meta.get("webhook-id");
        assertThat(seen.add(id)).as("published once: " + id).isTrue();
        assertThat(r.getBody()).isEqualTo(bodies.get(id).getBytes(StandardCharsets.UTF_8));
        assertThat(r.getEnvelope().getRoutingKey()).isEqualTo("src.test.event");
        assertThat(r.getProps().getMessageId()).isEqualTo(id);
        assertThat(r.getProps().getDeliveryMode()).isEqualTo(2);
        assertMetadata(meta, id, bodies.get(id));
      }
      assertThat(seen).isEqualTo(bodies.keySet());
      ch.queueDelete(queue);
      ch.exchangeDelete(exchange);
    }
  }

  @Test
  void rabbitmqMissingExchangeIsAFailedAttemptThenDead() throws Exception {
    String url = BrokerServices.rabbitmqUrl();
    String queue = "hookline-test-" + suffix;
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(url);
    try (com.rabbitmq.client.Connection c = f.newConnection(); Channel ch = c.createChannel()) {
      ch.queueDeclare(queue, false, false, true, null);
      // Default exchange, default key (source:providerEventId) would not route; the key names the queue.
      HooklineConfig cfg = h.config(FAST, source("src",
          "      - id: ok\n        rabbitmq: { url: \"" + url + "\", routingKey: '\"" + queue + "\"' }\n"
              + "        signingSecret: " + SECRET + "\n        " + RETRY.replace(", ", "\n        ") + "\n"
              + "      - id: missing\n        rabbitmq: { url: \"" + url + "\", exchange: no-such-exchange-" + suffix + " }\n"
              + "        maxAttempts: 2\n        " + RETRY.replace(", ", "\n        ") + "\n"));
      deliverTo(cfg);
      assertThat(lastErrorOfMissing()).contains("rabbitmq:").contains("NOT_FOUND");
      assertThat(ch.messageCount(queue)).isEqualTo(N);
      ch.queueDelete(queue);
    }
  }

  @Test
  void natsJetStreamPublishesWithMsgIdAndSubjectFromItsExpression() throws Exception {
    String url = BrokerServices.natsUrl();
    String stream = "HOOKLINE_TEST_" + suffix;
    String prefix = "hltest" + suffix;
    try (Connection nc = Nats.connect(url)) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name(stream).subjects(prefix + ".>")
          .storageType(StorageType.Memory).build());
      try {
        HooklineConfig cfg = h.config(FAST, source("src",
            "      - id: ok\n        nats: { url: \"" + url + "\", subject: '\"" + prefix + ".\" + source + \".\" + type' }\n"
                + "        signingSecret: " + SECRET + "\n        " + RETRY.replace(", ", "\n        ") + "\n"
                + "      - id: missing\n        nats: { url: \"" + url + "\", subject: '\"nostream" + suffix + ".\" + id' }\n"
                + "        maxAttempts: 2\n        " + RETRY.replace(", ", "\n        ") + "\n"));
        Map<String, String> bodies = deliverTo(cfg);
        assertThat(lastErrorOfMissing()).startsWith("nats:");
        long count = jsm.getStreamInfo(stream).getStreamState().getMsgCount();
        assertThat(count).isEqualTo(N);
        Set<String> seen = new HashSet<>();
        for (long seq = 1; seq <= count; seq++) {
          MessageInfo m = jsm.getMessage(stream, seq);
          Map<String, String> meta = new HashMap<>();
          m.getHeaders().entrySet().forEach(e -> meta.put(e.getKey(), e.getValue().get(0)));
          String id = meta.get("webhook-id");
          seen.add(id);
          assertThat(m.getSubject()).isEqualTo(prefix + ".src.test.event");
          assertThat(meta).containsEntry("Nats-Msg-Id", id);
          assertThat(m.getData()).isEqualTo(bodies.get(id).getBytes(StandardCharsets.UTF_8));
          assertMetadata(meta, id, bodies.get(id));
        }
        assertThat(seen).isEqualTo(bodies.keySet());
      } finally {
        jsm.deleteStream(stream);
      }
    }
  }

  @Test
  void redisStreamXaddsFieldsAndFailsOnAMissingStream() {
    String url = TestServices.redisUrl();
    String stream = "hookline-test-stream-" + suffix;
    Redis redis = Redis.createClient(h.vertx, url);
    try {
      // The stream must exist (XADD NOMKSTREAM): created here as an operator would.
      await(redis.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg("g").arg("$").arg("MKSTREAM")));
      HooklineConfig cfg = h.config(FAST, source("src",
          "      - id: ok\n        redisStream: { url: \"" + url + "\", stream: " + stream + ", maxLen: 1000 }\n"
              + "        signingSecret: " + SECRET + "\n        " + RETRY.replace(", ", "\n        ") + "\n"
              + "      - id: missing\n        redisStream: { url: \"" + url + "\", stream: no-such-stream-" + suffix + " }\n"
              + "        maxAttempts: 2\n        " + RETRY.replace(", ", "\n        ") + "\n"));
      Map<String, String> bodies = deliverTo(cfg);
      assertThat(lastErrorOfMissing()).contains("no such stream");
      Response entries = await(redis.send(Request.cmd(Command.XRANGE).arg(stream).arg("-").arg("+")));
      Set<String> seen = new HashSet<>();
      for (Response entry : entries) {
        Response fields = entry.get(1);
        Map<String, String> meta = new HashMap<>();
        Buffer body = null;
        for (int i = 0; i < fields.size(); i += 2) {
          if ("body".equals(fields.get(i).toString())) {
            body = fields.get(i + 1).toBuffer();
          } else {
            meta.put(fields.get(i).toString(), fields.get(i + 1).toString());
          }
        }
        String id = meta.get("webhook-id");
        assertThat(seen.add(id)).isTrue();
        assertThat(body.getBytes()).isEqualTo(bodies.get(id).getBytes(StandardCharsets.UTF_8));
        assertMetadata(meta, id, bodies.get(id));
      }
      assertThat(seen).isEqualTo(bodies.keySet());
      assertThat(await(redis.send(Request.cmd(Command.EXISTS).arg("no-such-stream-" + suffix))).toInteger()).isZero();
    } finally {
      await(redis.send(Request.cmd(Command.DEL).arg(stream)));
      redis.close();
    }
  }

}
