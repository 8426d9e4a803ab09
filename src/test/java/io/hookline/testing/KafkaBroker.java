package io.hookline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A real single-node KRaft Kafka broker (Maven Central's {@code kafka_2.13}, {@code kafka.Kafka} in a
 * child JVM on the test classpath): storage formatted first, free ports, started once per test JVM
 * and stopped at its exit. Topics are not created automatically, so a missing topic is an error.
 * Besides its plaintext listener it has a TLS one ({@link #tlsBootstrap}) with a self-signed
 * certificate for 127.0.0.1 that requires a client certificate ({@link #certificates}), and a
 * SASL_PLAINTEXT one ({@link #saslBootstrap}) that accepts {@link #SASL_USER} with
 * {@link #SASL_PASSWORD} over PLAIN (the listener's JAAS config), SCRAM-SHA-256 and SCRAM-SHA-512
 * (credentials written by the storage format's {@code --add-scram}), and a SASL_SSL one
 * ({@link #saslSslBootstrap}: the same user over SCRAM-SHA-512, the TLS listener's certificate).
 */
public final class KafkaBroker {
  /** The one user of the SASL listener, for every mechanism. */
  public static final String SASL_USER = "hookline-test";
  public static final String SASL_PASSWORD = "sasl-pw-7f3a91";

  private static KafkaBroker shared;

  private final Process process;
  private final String bootstrap;
  private final String tlsBootstrap;
  private final String saslBootstrap;
  private final String saslSslBootstrap;
  private final TestCertificates certificates;
  private final Path log;

  private KafkaBroker() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("hookline-kafka");
    int port = FreePorts.pick();
    int controller = FreePorts.pick();
    int tlsPort = FreePorts.pick();
    int saslPort = FreePorts.pick();
    int saslSslPort = FreePorts.pick();
    bootstrap = "127.0.0.1:" + port;
    tlsBootstrap = "127.0.0.1:" + tlsPort;
    saslBootstrap = "127.0.0.1:" + saslPort;
    saslSslBootstrap = "127.0.0.1:" + saslSslPort;
    certificates = TestCertificates.create();
    Path props = dir.resolve("server.properties");
    Files.writeString(props, String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controller,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",SSL://127.0.0.1:" + tlsPort + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort
            + ",SASL_SSL://127.0.0.1:" + saslSslPort + ",CONTROLLER://127.0.0.1:" + controller,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ",SSL://127.0.0.1:" + tlsPort
            + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort + ",SASL_SSL://127.0.0.1:" + saslSslPort,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT",
        "sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
        "listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " user_" + SASL_USER + "=\"" + SASL_PASSWORD + "\";",
        "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;",
        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;",
        "listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-512",
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;",
        // SASL over TLS authenticates the client by SASL: the server certificate only, no client certificate.
        "listener.name.sasl_ssl.ssl.client.auth=none",
        "ssl.keystore.type=PKCS12",
        "ssl.keystore.location=" + certificates.serverKeyStore,
        "ssl.keystore.password=" + TestCertificates.STORE_PASSWORD,
        "ssl.key.password=" + TestCertificates.STORE_PASSWORD,
        "ssl.truststore.type=PEM",
        "ssl.truststore.location=" + certificates.clientCertPem,
        "ssl.client.auth=required",
        "log.dirs=" + dir.resolve("data"),
        "auto.create.topics.enable=false",
        "num.partitions=1",
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "log.flush.interval.messages=1",
        ""));
    log = dir.resolve("kafka.log");
    int formatted = java(dir, "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
        "-c", props.toString(),
        "--add-scram", "SCRAM-SHA-256=[name=" + SASL_USER + ",password=" + SASL_PASSWORD + "]",
        "--add-scram", "SCRAM-SHA-512=[name=" + SASL_USER + ",password=" + SASL_PASSWORD + "]").waitFor();
    if (formatted != 0) {
      throw new IllegalStateException("kafka storage format failed: " + Files.readString(log));
    }
    process = java(dir, "kafka.Kafka", props.toString());
    Process p = process;
    try {
      Eventually.within(Duration.ofSeconds(60), () -> {
        if (!p.isAlive()) {
          throw new IllegalStateException("kafka exited: " + tail());
        }
        return answers(port);
      }, () -> "kafka answering on " + bootstrap + ": " + tail());
    } catch (RuntimeException | Error e) {
      p.destroyForcibly();
      throw e;
    }
  }

  private Process java(Path dir, String main, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms128m", "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Dlog4j2.level=WARN",
        "-cp", System.getProperty("java.class.path"), main));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  private static boolean answers(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String tail() {
    try {
      String all = Files.readString(log);
      return all.substring(Math.max(0, all.length() - 2000));
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** The broker of this test JVM, started on first use. */
  public static synchronized KafkaBroker shared() {
    if (shared == null) {
      try {
        shared = new KafkaBroker();
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("could not start a Kafka broker: " + e, e);
      }
      KafkaBroker b = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> b.process.destroyForcibly()));
    }
    return shared;
  }

  public String bootstrap() {
    return bootstrap;
  }

  /** The TLS listener (client certificate required). */
  public String tlsBootstrap() {
    return tlsBootstrap;
  }

  /** The SASL_SSL listener: the TLS listener's server certificate, no client certificate, SCRAM-SHA-512. */
  public String saslSslBootstrap() {
    return saslSslBootstrap;
  }

  /** The SASL_PLAINTEXT listener ({@link #SASL_USER}, {@link #SASL_PASSWORD}). */
  public String saslBootstrap() {
    return saslBootstrap;
  }

  /** The server's and the one trusted client's certificates and keys. */
  public TestCertificates certificates() {
    return certificates;
  }

  /** A topic named {@code prefix} and a random suffix, created (tests do not share topics). */
  public String newTopic(String prefix) {
    String name = prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    createTopic(name);
    return name;
  }

  /**
   * Everything in the topic (one partition) read over the plaintext listener, waiting up to 30 s
   * until {@code n} records are there, then one more poll: a record beyond n would be a duplicate.
   */
  public List<ConsumerRecord<String, byte[]>> records(String topic, int n) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < n && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(500)).forEach(out::add);
      }
      c.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    return out;
  }

  /** A record's headers as text (the metadata Hookline writes: webhook-id, hookline-source, ...). */
  public static Map<String, String> headers(ConsumerRecord<?, ?> record) {
    Map<String, String> out = new HashMap<>();
    for (Header h : record.headers()) {
      out.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    return out;
  }

  /**
   * Each record's body by its {@code webhook-id} header, every record published once with
   * {@code hookline-source} {@code source} at attempt 1 (a second record of an id fails).
   */
  public Map<String, String> bodiesById(String topic, int n, String source) {
    Map<String, String> got = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : records(topic, n)) {
      Map<String, String> meta = headers(r);
      assertThat(got.put(meta.get("webhook-id"), new String(r.value(), StandardCharsets.UTF_8)))
          .as("published once: " + meta.get("webhook-id")).isNull();
      assertThat(meta).containsEntry("hookline-source", source).containsEntry("hookline-attempt", "1");
    }
    return got;
  }

  /** Creates a topic (one partition, replication 1) and waits for it. */
  public void createTopic(String name) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not create topic " + name + ": " + e, e);
    }
  }
}
