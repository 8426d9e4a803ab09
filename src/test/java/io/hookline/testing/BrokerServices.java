package io.hookline.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Assumptions;

/**
 * The brokers the broker-destination tests publish to: RabbitMQ and NATS with JetStream, running on
 * this machine and in CI ({@code .ci/run} starts them). {@code HOOKLINE_TEST_RABBITMQ_URL} /
 * {@code HOOKLINE_TEST_NATS_URL} point elsewhere; nothing else of the shell's environment is read.
 * A broker named by its variable (CI sets both) that does not answer fails the test. With no variable,
 * the local default is tried, and where nothing answers (a machine with only a JDK and Maven: neither
 * broker has a Java build to embed) the test is skipped with that reason, never silently.
 */
public final class BrokerServices {
  private BrokerServices() {
  }

  public static String rabbitmqUrl() {
    return answering("HOOKLINE_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672", 5672, "RabbitMQ",
        "rabbitmq-server -detached");
  }

  public static String natsUrl() {
    return answering("HOOKLINE_TEST_NATS_URL", "nats://127.0.0.1:4222", 4222, "NATS (with JetStream, -js)",
        "nats-server -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server");
  }

  private static String answering(String variable, String localDefault, int defaultPort, String what, String start) {
    String configured = System.getenv(variable);
    boolean named = configured != null && !configured.isBlank();
    String url = named ? configured : localDefault;
    URI u = URI.create(url);
    int port = u.getPort() > 0 ? u.getPort() : defaultPort;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(u.getHost(), port), 2000);
    } catch (IOException e) {
      Assumptions.assumeTrue(named, what + " does not answer at the local default " + u.getHost() + ":" + port
          + " and " + variable + " is not set: start it (" + start + ") to run this test");
      throw new AssertionError(what + " does not answer at " + u.getHost() + ":" + port + " (" + e.getMessage()
          + "); start it (" + start + ") or set the HOOKLINE_TEST_* URL");
    }
    return url;
  }
}
