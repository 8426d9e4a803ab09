package io.hookline;

import io.hookline.cli.ConfiguredCommand;
import io.hookline.config.HooklineConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * {@code hookline run}: starts a node (embedded Redis and PostgreSQL when neither is configured)
 * and runs it until SIGTERM, which drains it within {@code delivery.drainTimeout}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a node until SIGTERM (the default command). With neither redis.url nor postgres.url: "
        + "single-node development mode on embedded servers.")
public final class RunCommand extends ConfiguredCommand {
  private static final long SHUTDOWN_CLOSE_MS = 5000;
  private volatile boolean stoppedBySignal;

  boolean stoppedBySignal() {
    return stoppedBySignal;
  }

  @Override
  protected int run(HooklineConfig requested) throws Exception {
    // Created only now: the config loader has set the log format and level properties.
    Logger log = LoggerFactory.getLogger(RunCommand.class);
    EmbeddedMode embedded = null;
    HooklineConfig config = requested;
    if (requested.embedded()) {
      embedded = EmbeddedMode.start(Path.of(requested.dataDir()));
      config = requested.withServices(embedded.redisUrl(), embedded.postgresUrl());
    }
    log.info("effective configuration (secrets masked):\n{}", config.describe());
    if (config.sources().isEmpty()) {
      log.warn("no sources configured: every webhook will get 404 unknown_source (see docs/configuration.md)");
    }
    Hookline node;
    try {
      node = Hookline.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("start-up failed: {}", e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
      if (embedded != null) {
        embedded.close();
      }
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    EmbeddedMode embeddedToStop = embedded;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stoppedBySignal = true;
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
    return 0;
  }
}
