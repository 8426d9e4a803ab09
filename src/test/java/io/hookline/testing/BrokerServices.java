package io.hookline.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * The brokers the broker-destination tests publish to: RabbitMQ and NATS with JetStream, running on
 * this machine and in CI ({@code .ci/run} starts them). {@code HOOKLINE_TEST_RABBITMQ_URL} /
 * {@code HOOKLINE_TEST_NATS_URL} point elsewhere; nothing else of the shell's environment is read.
 * A broker that does not answer fails the test with this message: it never skips silently.
 */
public final class BrokerServices {
  private BrokerServices() {
  }

  public static String rabbitmqUrl() {
    return answering(env("HOOKLINE_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672"), 5672, "RabbitMQ",
        "rabbitmq-server -detached");
  }

  public static String natsUrl() {
    return answering(env("HOOKLINE_TEST_NATS_URL", "nats://127.0.0.1:4222"), 4222, "NATS (with JetStream, -js)",
        "nats-server -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server");
  }

  private static String env(String name, String def) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? def : v;
  }

  private static String answering(String url, int defaultPort, String what, String start) {
    URI u = URI.create(url);
    int port = u.getPort() > 0 ? u.getPort() : defaultPort;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(u.getHost(), port), 2000);
    } catch (IOException e) {
      throw new AssertionError(what + " does not answer at " + u.getHost() + ":" + port + " (" + e.getMessage()
          + "); start it (" + start + ") or set the HOOKLINE_TEST_* URL");
    }
    return url;
  }
}
