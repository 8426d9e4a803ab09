package io.hookline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one way tests launch a child process: {@code io.hookline.Main} as a separate JVM on the test
 * class path, stdout and stderr into one log file. The child gets no HOOKLINE_* variables from the
 * test's environment (CI sets HOOKLINE_TEST_*, a developer may have HOOKLINE_REDIS_URL exported):
 * what it runs on is exactly its config file plus {@code env}. A node configured with port 0 binds
 * any free ports; {@link #httpPort()} and {@link #managementPort()} read them from its "Hookline
 * ready" line. {@link #close()} stops it and whatever it started.
 */
public final class MainProcess implements AutoCloseable {
  public final Path log;
  private final Process process;
  /** Where an embedded PostgreSQL writes postmaster.pid, or null: see {@link #close()}. */
  private final Path postgresDataDir;

  private MainProcess(Process process, Path log, Path postgresDataDir) {
    this.process = process;
    this.log = log;
    this.postgresDataDir = postgresDataDir;
  }

  /** Starts {@code java io.hookline.Main args...}. */
  public static MainProcess start(Path log, Map<String, String> env, Path postgresDataDir, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.hookline.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("HOOKLINE_"));
    pb.environment().putAll(env);
    // No warm-up unless a test asks for one (WarmupTest covers it): seconds per node start otherwise.
    pb.environment().putIfAbsent("HOOKLINE_HTTP_WARMUP_SECONDS", "0");
    try {
      return new MainProcess(pb.start(), log, postgresDataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a node ({@code run --config config}) and waits for it to be ready. */
  public static MainProcess startNode(Path log, Map<String, String> env, Path postgresDataDir, Path config,
                                      Duration within) throws InterruptedException {
    MainProcess node = start(log, env, postgresDataDir, "--config", config.toString());
    try {
      node.awaitLog("Hookline ready", within);
      return node;
    } catch (AssertionError | RuntimeException | InterruptedException e) {
      node.close();
      throw e;
    }
  }

  private static final java.util.regex.Pattern READY =
      java.util.regex.Pattern.compile("Hookline ready: .*? http=[^ ]*:(\\d+) management=[^ ]*:(\\d+)");

  /** The public port the node reported as bound (after "Hookline ready"). */
  public int httpPort() {
    return readyPort(1);
  }

  /** The management port the node reported as bound. */
  public int managementPort() {
    return readyPort(2);
  }

  private int readyPort(int group) {
    java.util.regex.Matcher m = READY.matcher(output());
    if (!m.find()) {
      throw new AssertionError("no 'Hookline ready' line with its ports yet:\n" + tail());
    }
    return Integer.parseInt(m.group(group));
  }

  /** SIGKILL: no shutdown hook, no drain, no lease release. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("survived SIGKILL:\n" + tail());
    }
  }

  /** SIGTERM without waiting (the test watches what happens meanwhile). */
  public void sendSigterm() {
    process.destroy();
  }

  public boolean waitFor(Duration within) throws InterruptedException {
    return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  public int exitValue() {
    return process.exitValue();
  }

  /** Runs a command that ends by itself (send, check-config) and returns its exit code. */
  public static int run(Path log, Duration within, String... args) throws InterruptedException {
    try (MainProcess p = start(log, Map.of(), null, args)) {
      return p.awaitExit(within);
    }
  }

  public int awaitExit(Duration within) throws InterruptedException {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + within + ":\n" + output());
    }
    return process.exitValue();
  }

  /** Polls the log until it contains {@code text}; fails early if the process exits first. */
  public void awaitLog(String text, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (output().contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("exited (" + process.exitValue() + ") before '" + text + "':\n" + tail());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no '" + text + "' within " + within + ":\n" + tail());
  }

  /** SIGTERM, then wait for the JVM to finish its shutdown hook and exit. */
  public void sigterm(Duration within) throws InterruptedException {
    process.destroy();
    awaitExit(within);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String output() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String tail() {
    String s = output();
    return s.length() > 8000 ? s.substring(s.length() - 8000) : s;
  }

  /**
   * Stops the JVM even when the test failed half-way: SIGTERM first so its shutdown hook can stop
   * the embedded servers it started, SIGKILL if it hangs. Then ends the children it may have left
   * behind, by their process ids only: descendants (embedded Redis), and the embedded PostgreSQL
   * postmaster, which pg_ctl detached from the JVM and which records its pid in postmaster.pid.
   */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    if (postgresDataDir != null) {
      stopLeftoverPostmaster(postgresDataDir.resolve("postmaster.pid"));
    }
  }

  private static void stopLeftoverPostmaster(Path pidFile) {
    try {
      if (!Files.exists(pidFile)) {
        return;
      }
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      // Only a live postgres process: a pid file left by a crash may name a pid reused since.
      ProcessHandle.of(pid).filter(h -> h.info().command().map(c -> c.endsWith("postgres")).orElse(false)).ifPresent(h -> {
        h.destroy(); // SIGTERM: PostgreSQL's "smart" shutdown; its clients are gone already
        h.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(t -> {
          h.destroyForcibly();
          return h;
        }).join();
      });
    } catch (IOException | RuntimeException e) {
      // best effort: a stale or unreadable pid file means there is nothing of ours to stop
    }
  }
}
