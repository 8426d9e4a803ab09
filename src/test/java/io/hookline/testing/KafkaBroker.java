package io.hookline.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft Kafka broker (Maven Central's {@code kafka_2.13}, {@code kafka.Kafka} in a
 * child JVM on the test classpath): storage formatted first, free ports, started once per test JVM
 * and stopped at its exit. Topics are not created automatically, so a missing topic is an error.
 * Besides its plaintext listener it has a TLS one ({@link #tlsBootstrap}) with a self-signed
 * certificate for 127.0.0.1 that requires a client certificate ({@link #certificates}).
 */
public final class KafkaBroker {
  private static KafkaBroker shared;

  private final Process process;
  private final String bootstrap;
  private final String tlsBootstrap;
  private final TestCertificates certificates;
  private final Path log;

  private KafkaBroker() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("hookline-kafka");
    int port = FreePorts.pick();
    int controller = FreePorts.pick();
    int tlsPort = FreePorts.pick();
    bootstrap = "127.0.0.1:" + port;
    tlsBootstrap = "127.0.0.1:" + tlsPort;
    certificates = TestCertificates.create();
    Path props = dir.resolve("server.properties");
    Files.writeString(props, String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controller,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",SSL://127.0.0.1:" + tlsPort + ",CONTROLLER://127.0.0.1:" + controller,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ",SSL://127.0.0.1:" + tlsPort,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT",
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
        "-c", props.toString()).waitFor();
    if (formatted != 0) {
      throw new IllegalStateException("kafka storage format failed: " + Files.readString(log));
    }
    process = java(dir, "kafka.Kafka", props.toString());
    Process p = process;
    try {
      Eventually.within(java.time.Duration.ofSeconds(60), () -> {
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

  /** The server's and the one trusted client's certificates and keys. */
  public TestCertificates certificates() {
    return certificates;
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
