package io.hookline;

import io.hookline.cli.SendCommand;
import io.hookline.config.ConfigException;
import io.hookline.config.ConfigLoader;
import io.hookline.config.HooklineConfig;
import io.hookline.delivery.ReplayCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar hookline.jar [run] [--config FILE]} runs a node; {@code send --source ID} posts a
 * signed test event to a running one; {@code check-config} only validates; {@code dead-letters} and
 * {@code replay} work on the delivery tables directly.
 */
public final class Main {
  private static final long SHUTDOWN_CLOSE_MS = 5000;
  private Main() {}

  public static void main(String[] argv) throws Exception {
    String command = "run";
    Map<String, String> args = new HashMap<>();
    int i = 0;
    if (argv.length > 0 && !argv[0].startsWith("--")) {
      command = argv[0];
      i = 1;
    }
    for (; i < argv.length; i++) {
      String a = argv[i];
      if (!a.startsWith("--")) {
        usage("unexpected argument '" + a + "'");
      }
      String key = a.substring(2);
      int eq = key.indexOf('=');
      if (eq >= 0) {
        args.put(key.substring(0, eq), key.substring(eq + 1));
      } else if (i + 1 < argv.length) {
        args.put(key, argv[++i]);
      } else {
        usage("--" + key + " needs a value");
      }
    }
    HooklineConfig config;
    try {
      config = loadConfig(args.get("config"));
    } catch (ConfigException e) {
      configError(e);
      return;
    }
    // Logback reads these once, when the first Logger is created (Hookline has a static one):
    // set them before any class that logs is touched.
    System.setProperty("hookline.log.format", config.log().format());
    System.setProperty("hookline.log.level", config.log().level().toUpperCase(java.util.Locale.ROOT));
    if (!command.equals("send")) {
      // Provider options and secret formats are checked when the verifiers are built: do it
      // here, so run and check-config report those errors exactly like the loader's (one line, 2).
      try {
        Hookline.buildSources(config);
      } catch (ConfigException e) {
        configError(e);
        return;
      }
    }
    switch (command) {
      case "run" -> run(config);
      case "send" -> System.exit(SendCommand.run(config, args, System.out));
      case "dead-letters", "replay" -> System.exit(ReplayCommand.run(command, config, args, System.out));
      case "check-config" -> System.out.println("configuration OK\n" + config.describe());
      default -> usage("unknown command '" + command + "'");
    }
  }

  private static HooklineConfig loadConfig(String path) {
    Map<String, String> env = System.getenv();
    if (path != null) {
      return ConfigLoader.fromFile(Path.of(path), env);
    }
    Path local = Path.of("hookline.yaml");
    if (Files.isRegularFile(local)) {
      return ConfigLoader.fromFile(local, env);
    }
    return new ConfigLoader(env).load("");
  }

  private static void run(HooklineConfig requested) throws Exception {
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);
    EmbeddedMode embedded = null;
    HooklineConfig config = requested;
    if (requested.embedded()) {
      embedded = EmbeddedMode.start(Path.of(requested.dataDir()));
      config = new HooklineConfig(requested.http(), requested.management(),
          new HooklineConfig.Redis(embedded.redisUrl(), requested.redis().keyPrefix(), requested.redis().timeout()),
          new HooklineConfig.Postgres(embedded.postgresUrl(), requested.postgres().schema(), requested.postgres().poolSize()),
          requested.store(), requested.delivery(), requested.log(), requested.dataDir(), requested.sources(),
          requested.retention());
    }
    log.info("effective configuration (secrets masked):\n{}", config.describe());
    if (config.sources().isEmpty()) {
      log.warn("no sources configured: every webhook will get 404 unknown_source (see README, Configuration)");
    }
    Hookline node;
    try {
      node = Hookline.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("start-up failed: {}", e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
      if (embedded != null) {
        embedded.close();
      }
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    EmbeddedMode embeddedToStop = embedded;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("SIGTERM/shutdown: draining node {}", node.node().nodeId());
      try {
        // stop() drains within delivery.drainTimeout; the few seconds more are for closing Vert.x.
        // When this hook returns the JVM exits, whatever is still running.
        node.stop().toCompletionStage().toCompletableFuture().get(
            node.config().delivery().drainTimeout().toMillis() + SHUTDOWN_CLOSE_MS, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.warn("shutdown did not finish cleanly: {}", e.toString());
      }
      if (embeddedToStop != null) {
        embeddedToStop.close();
      }
      log.info("stopped");
      stopped.countDown();
    }, "hookline-shutdown"));
    stopped.await();
  }

  private static void configError(ConfigException e) {
    System.err.println("hookline: configuration error: " + e.getMessage());
    System.exit(2);
  }

  private static void usage(String problem) {
    System.err.println("hookline: " + problem + "\n"
        + "usage: java -jar hookline.jar [run] [--config hookline.yaml]\n"
        + "       java -jar hookline.jar send --source ID [--file event.json] [--url http://127.0.0.1:8080] [--event-id ID]\n"
        + "       java -jar hookline.jar check-config [--config hookline.yaml]\n"
        + "       java -jar hookline.jar dead-letters [--source S] [--destination D] [--limit 50]\n"
        + "       java -jar hookline.jar replay --event UUID [--destination D]\n"
        + "       java -jar hookline.jar replay [--source S] [--destination D] [--status dead,gone] [--since 24h] [--until T] [--limit N]");
    System.exit(2);
  }
}
