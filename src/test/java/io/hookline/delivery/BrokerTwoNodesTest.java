package io.hookline.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.hookline.testing.BrokerServices;
import io.hookline.testing.Eventually;
import io.hookline.testing.KafkaBroker;
import io.hookline.testing.TestNode;
import io.hookline.testing.TestServices;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two nodes (in-process, own node ids, one PostgreSQL schema and Redis prefix) publish the same
 * events to a real RabbitMQ queue, a real NATS JetStream stream and a real Kafka topic
 * ({@link KafkaBroker}, shared with the other Kafka tests of the JVM). RabbitMQ and NATS are too small for
 * the burst at first (a queue with {@code x-max-length} and {@code reject-publish}, a stream with
 * {@code max_msgs} and {@code discard: new}), so many attempts fail and are retried while both nodes
 * claim. Each message carries its attempt number ({@code hookline-attempt}), so a retry is told
 * apart from a second publish of one attempt: no (event, attempt) is published twice, every event
 * arrives, and what the brokers got is exactly what the nodes recorded.
 */
class BrokerTwoNodesTest {
  static final int EVENTS = 160;
  static final int ROOM = 40;
  static final String SECRET = "whsec_two_nodes_brokers_secret";

  /** One message as a broker consumer saw it: the event (webhook-id) and the attempt number. */
  record Published(String eventId, int attempt) {}

  @Test
  void twoNodesNeverPublishOneAttemptTwiceAndEveryEventArrives() throws Exception {
    String rabbitUrl = BrokerServices.rabbitmqUrl();
    String natsUrl = BrokerServices.natsUrl();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String queue = "hookline-two-nodes-" + suffix;
    String stream = "HOOKLINE_TWO_NODES_" + suffix;
    String subject = "hltwonodes" + suffix;
    String topic = "hookline-two-nodes-" + suffix;
    KafkaBroker kafka = KafkaBroker.shared();
    kafka.createTopic(topic);
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(rabbitUrl);
    // Every publish on the subject, stored or refused by the stream: a core subscription sees them all.
    Queue<Published> natsSeen = new ConcurrentLinkedQueue<>();
    try (com.rabbitmq.client.Connection rc = f.newConnection(); Channel ch = rc.createChannel();
         Connection nc = Nats.connect(natsUrl)) {
      ch.queueDeclare(queue, false, false, true, Map.of("x-max-length", ROOM, "x-overflow", "reject-publish"));
      JetStreamManagement jsm = nc.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name(stream).subjects(subject).storageType(StorageType.Memory)
          .maxMessages(ROOM).discardPolicy(DiscardPolicy.New).build());
      Dispatcher d = nc.createDispatcher(m -> natsSeen.add(new Published(m.getHeaders().getFirst("webhook-id"),
          Integer.parseInt(m.getHeaders().getFirst("hookline-attempt")))));
      d.subscribe(subject);
      nc.flush(Duration.ofSeconds(5));
      String yaml = """
          delivery: { instances: 2, pollInterval: 100ms, pollBatch: 20, drainTimeout: 2s }
          sources:
            - id: stripe
              provider: stripe
              secrets: ["%s"]
              destinations:
                - id: queue
                  rabbitmq: { url: "%s", routingKey: '"%s"' }
                  timeout: 5s
                  initialBackoff: 50ms
                  maxBackoff: 400ms
                  maxAttempts: 100
                - id: bus
                  nats: { url: "%s", subject: '"%s"' }
                  timeout: 5s
                  initialBackoff: 50ms
                  maxBackoff: 400ms
                  maxAttempts: 100
                - id: stream
                  kafka: { bootstrap: "%s", topic: "%s" }
                  timeout: 10s
                  initialBackoff: 50ms
                  maxBackoff: 400ms
                  maxAttempts: 100
          """.formatted(SECRET, rabbitUrl, queue, natsUrl, subject, kafka.bootstrap(), topic);
      List<Published> rabbitGot = new ArrayList<>();
      try (TestNode a = TestNode.start(yaml, Map.of("HOOKLINE_NODE_ID", "two-a"), TestServices.pgUrl());
           TestNode b = TestNode.start(yaml, Map.of("HOOKLINE_NODE_ID", "two-b", "HOOKLINE_POSTGRES_SCHEMA", a.schemaName(),
               "HOOKLINE_REDIS_KEY_PREFIX", a.keyPrefix()), TestServices.pgUrl())) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < EVENTS; i++) {
          String eventId = "evt_two_" + i;
          ids.add(FiltersAndTransformsTest.post(i % 2 == 0 ? a : b, "stripe", SECRET, eventId,
              FiltersAndTransformsTest.invoice(eventId, i)));
        }
        // Make room as a consumer would: drain the queue, purge the stream, until every delivery is done.
        Eventually.within(Duration.ofSeconds(90), () -> {
          GetResponse r;
          try {
            while ((r = ch.basicGet(queue, true)) != null) {
              rabbitGot.add(new Published(r.getProps().getMessageId(),
                  Integer.parseInt(r.getProps().getHeaders().get("hookline-attempt").toString())));
            }
            jsm.purgeStream(stream);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          return a.count("SELECT count(*) FROM {schema}.deliveries WHERE status = 'delivered'") == 3L * EVENTS;
        }, () -> "all " + 3 * EVENTS + " deliveries delivered; " + a.count("SELECT count(*) FROM {schema}.deliveries "
            + "WHERE status = 'delivered'") + " are");
        // A confirm may still be on its way for the last messages: the queue holds them already.
        GetResponse r;
        while ((r = ch.basicGet(queue, true)) != null) {
          rabbitGot.add(new Published(r.getProps().getMessageId(),
              Integer.parseInt(r.getProps().getHeaders().get("hookline-attempt").toString())));
        }
        nc.flush(Duration.ofSeconds(5));

        Map<String, List<Row>> attempts = new HashMap<>();
        a.query("SELECT destination_id, event_id::text, attempt, outcome, node_id, error FROM {schema}.delivery_attempts "
            + "WHERE round = 1").forEach(row -> attempts.computeIfAbsent(row.getString(0), k -> new ArrayList<>()).add(row));
        assertThat(attempts.get("queue").size()).as("RabbitMQ refused attempts while full: retries happened")
            .isGreaterThan(EVENTS);
        assertThat(attempts.get("bus").size()).as("JetStream refused attempts while full: retries happened")
            .isGreaterThan(EVENTS);
        Set<String> nodes = new HashSet<>();
        attempts.values().forEach(rows -> rows.forEach(row -> nodes.add(row.getString(4))));
        assertThat(nodes).as("both nodes published").containsExactlyInAnyOrder("two-a", "two-b");

        // RabbitMQ stores the attempts it accepted: each once, every delivered one, none the nodes did not record.
        assertThat(repeats(rabbitGot)).as("(event, attempt) pairs RabbitMQ received more than once").isEmpty();
        assertThat(rabbitGot.stream().map(Published::eventId).collect(Collectors.toSet())).isEqualTo(ids);
        assertThat(new HashSet<>(rabbitGot)).containsAll(recorded(attempts.get("queue"), "delivered"))
            .isSubsetOf(recorded(attempts.get("queue"), null));
        // NATS saw every attempt that went out (stored or refused by the stream): each once, and exactly the
        // attempts the nodes recorded (less those that failed before publishing, the connection not up yet).
        Set<Published> notSent = attempts.get("bus").stream()
            .filter(row -> row.getString(5) != null && row.getString(5).startsWith("nats: not connected"))
            .map(row -> new Published(row.getString(1), row.getInteger(2))).collect(Collectors.toSet());
        Set<Published> sent = new HashSet<>(recorded(attempts.get("bus"), null));
        sent.removeAll(notSent);
        // The subscription's dispatcher thread may still be handing over the last messages.
        Eventually.within(Duration.ofSeconds(10), () -> new HashSet<>(natsSeen).containsAll(sent),
            () -> "the core subscription saw every recorded attempt");
        List<Published> natsGot = List.copyOf(natsSeen);
        assertThat(repeats(natsGot)).as("(event, attempt) pairs published to NATS more than once").isEmpty();
        assertThat(natsGot.stream().map(Published::eventId).collect(Collectors.toSet())).isEqualTo(ids);
        assertThat(new HashSet<>(natsGot)).isEqualTo(sent);
        // Kafka stores what it acknowledged (the idempotent producer drops its own internal resends).
        List<Published> kafkaGot = new ArrayList<>();
        kafka.records(topic, EVENTS).forEach(rec -> kafkaGot.add(new Published(
            header(rec, "webhook-id"), Integer.parseInt(header(rec, "hookline-attempt")))));
        assertThat(repeats(kafkaGot)).as("(event, attempt) pairs Kafka received more than once").isEmpty();
        assertThat(kafkaGot.stream().map(Published::eventId).collect(Collectors.toSet())).isEqualTo(ids);
        assertThat(new HashSet<>(kafkaGot)).containsAll(recorded(attempts.get("stream"), "delivered"))
            .isSubsetOf(recorded(attempts.get("stream"), null));
        assertThat(recorded(attempts.get("bus"), "delivered").stream().map(Published::eventId).toList())
            .hasSize(EVENTS).doesNotHaveDuplicates();
      } finally {
        d.unsubscribe(subject);
        jsm.deleteStream(stream);
        ch.queueDelete(queue);
      }
    }
  }

  static String header(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The pairs seen more than once, with their counts. */
  static Map<Published, Long> repeats(List<Published> seen) {
    return seen.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
        .entrySet().stream().filter(e -> e.getValue() > 1).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /** The recorded attempts (with that outcome, or all) as (event, attempt) pairs. */
  static Set<Published> recorded(List<Row> rows, String outcome) {
    return rows.stream().filter(r -> outcome == null || outcome.equals(r.getString(3)))
        .map(r -> new Published(r.getString(1), r.getInteger(2))).collect(Collectors.toSet());
  }
}
