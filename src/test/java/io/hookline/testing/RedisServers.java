package io.hookline.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Real {@code redis-server} processes of a test's own (a Redis Cluster, a Sentinel setup) on free
 * loopback ports, in a temporary directory; never the machine's 6379. {@link #close()} stops every
 * one still running by its PID.
 */
public final class RedisServers implements AutoCloseable {
  private final Path dir;
  private final List<ProcessHandle> started = new ArrayList<>();

  public RedisServers() {
    try {
      dir = Files.createTempDirectory("hookline-redis-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code redis-server} and {@code redis-cli} are installed (tests are skipped otherwise). */
  public static boolean installed() {
    return runs("redis-server", "--version") && runs("redis-cli", "--version");
  }

  private static boolean runs(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * A free port below the ephemeral range whose cluster bus port (+10000) is free too and also
   * below it (the kernel could otherwise hand it out for an outgoing connection).
   */
  public static int freeClusterPort() {
    for (int i = 0; i < 500; i++) {
      int port = 20_000 + ThreadLocalRandom.current().nextInt(2_700);
      if (free(port) && free(port + 10_000)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port pair for a cluster node");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
      return true;
    } catch (IOException inUse) {
      return false;
    }
  }

  /** Starts {@code redis-server} on 127.0.0.1:port with no persistence, plus {@code extra} arguments; waits for PONG. */
  public long server(int port, String... extra) {
    List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port),
        "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "", "--appendonly", "no",
        "--daemonize", "no", "--logfile", dir.resolve("redis-" + port + ".log").toString()));
    command.addAll(List.of(extra));
    return startAndPing(command, port);
  }

  /** A cluster node (bus port = port + 10000). */
  public long clusterNode(int port) {
    return server(port, "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
        "--cluster-node-timeout", "1000");
  }

  /** A sentinel on port watching {@code master} at 127.0.0.1:masterPort, quorum 1, fast failover. */
  public long sentinel(int port, String master, int masterPort) {
    Path conf = dir.resolve("sentinel-" + port + ".conf");
    try {
      Files.writeString(conf, """
          port %d
          bind 127.0.0.1
          daemonize no
          dir %s
          logfile %s
          sentinel monitor %s 127.0.0.1 %d 1
          sentinel down-after-milliseconds %s 1000
          sentinel failover-timeout %s 5000
          sentinel parallel-syncs %s 1
          """.formatted(port, dir, dir.resolve("sentinel-" + port + ".log"), master, masterPort, master, master,
          master));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return startAndPing(List.of("redis-server", conf.toString(), "--sentinel"), port);
  }

  private long startAndPing(List<String> command, int port) {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("stdout-" + port + ".log").toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command.get(0), e);
    }
    started.add(p.toHandle());
    waitFor(Duration.ofSeconds(15), () -> cli(port, "PING").contains("PONG"), "redis on port " + port + " answering PING");
    return p.pid();
  }

  /** {@code kill -9}: the server gets no chance to tell anyone. */
  public void kill(long pid) {
    ProcessHandle.of(pid).ifPresent(h -> {
      h.destroyForcibly();
      h.onExit().orTimeout(10, TimeUnit.SECONDS).join();
    });
  }

  /** Runs {@code redis-cli -p port args...} and returns its output (errors included). */
  public static String cli(int port, String... args) {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
    command.addAll(List.of(args));
    return run(command);
  }

  public static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** Polls until the condition holds; fails naming what it waited for. */
  public static void waitFor(Duration deadline, BooleanSupplier condition, String what) {
    if (!within(deadline, condition)) {
      throw new AssertionError("timed out after " + deadline.toSeconds() + " s waiting for " + what);
    }
  }

  /** Polls until the condition holds or the deadline passes: whether it held. */
  public static boolean within(Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      try {
        Thread.sleep(50); // a test thread polling, not an event loop
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while polling");
      }
    }
    return true;
  }

  @Override
  public void close() {
    for (ProcessHandle h : started) {
      if (h.isAlive()) {
        h.destroy();
        try {
          h.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
          h.destroyForcibly();
        }
      }
    }
    started.clear();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory
    }
  }
}
