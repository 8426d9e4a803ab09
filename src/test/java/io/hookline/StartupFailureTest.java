package io.hookline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.hookline.testing.TestNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A node that cannot start says why at once, instead of the caller waiting out a timeout. */
class StartupFailureTest {
  @Test
  void aPortAlreadyInUseFailsTheStartWithTheBindError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Throwable failure = catchThrowable(() -> TestNode.start("""
          http: { host: 127.0.0.1, port: %d, instances: 1 }
          sources:
            - { id: gh, provider: github, secrets: [s] }
          """.formatted(port)));
      assertThat(failure).isNotNull();
      // TestNode wraps the start future's failure; a hang would surface as a TimeoutException instead.
      // NIO reports a BindException, the native epoll transport an IOException with the same message.
      assertThat(failure.getCause()).isInstanceOf(IOException.class).hasMessageContaining("Address already in use");
    }
  }
}
