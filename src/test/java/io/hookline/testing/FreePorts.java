package io.hookline.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free TCP port for a test that must know it before something binds it (a destination that is
 * down, a restart on the same port). Picked below Linux's ephemeral range (32768-60999): a port the kernel hands out for
 * outgoing connections, as {@code new ServerSocket(0)} does, can be taken by one of this process's
 * own PostgreSQL or Redis connections between the check and the bind.
 */
public final class FreePorts {
  private static final int LOW = 20_000;
  private static final int HIGH = 32_000;

  private FreePorts() {}

  public static int pick() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 200; i++) {
      int port = LOW + random.nextInt(HIGH - LOW);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
        return port;
      } catch (IOException inUse) {
        // try another
      }
    }
    throw new IllegalStateException("no free TCP port between " + LOW + " and " + HIGH);
  }
}
