package io.hookline;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * Single-node development mode: real PostgreSQL and Redis binaries shipped in Maven artifacts.
 * PostgreSQL keeps its data under {@code dataDir/postgres}, so accepted events survive a restart.
 */
final class EmbeddedMode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMode.class);
  private final EmbeddedPostgres postgres;
  private final RedisServer redis;
  private final int redisPort;

  private EmbeddedMode(EmbeddedPostgres postgres, RedisServer redis, int redisPort) {
    this.postgres = postgres;
    this.redis = redis;
    this.redisPort = redisPort;
  }

  static EmbeddedMode start(Path dataDir) throws IOException {
    Path pgDir = dataDir.resolve("postgres").toAbsolutePath();
    Files.createDirectories(pgDir);
    LOG.warn("==================================================================================");
    LOG.warn(" SINGLE-NODE DEVELOPMENT MODE: no redis.url / postgres.url configured.");
    LOG.warn(" Starting embedded PostgreSQL (data in {}) and embedded Redis.", pgDir);
    LOG.warn(" Do not run several nodes like this; configure redis.url and postgres.url for production.");
    LOG.warn("==================================================================================");
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setDataDirectory(pgDir)
        .setCleanDataDirectory(false)
        .setServerConfig("fsync", "on")
        // A month of hourly partitions takes ~8,000 locks per query over them; stock 64 × 100 holds 6,400 (docs/storage.md).
        .setServerConfig("max_locks_per_transaction", "512")
        // Main's shutdown hook stops it after the drain; zonky's own hook would stop it mid-drain.
        .setRegisterShutdownHook(false)
        .start();
    int port = freePort();
    RedisServer redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
        .setting("save \"\"").setting("appendonly no").build();
    redis.start();
    return new EmbeddedMode(pg, redis, port);
  }

  String postgresUrl() {
    return "postgresql://postgres@127.0.0.1:" + postgres.getPort() + "/postgres";
  }

  String redisUrl() {
    return "redis://127.0.0.1:" + redisPort;
  }

  @Override
  public void close() {
    try {
      redis.stop();
    } catch (IOException e) {
      LOG.warn("embedded Redis did not stop cleanly: {}", e.getMessage());
    }
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }

  /** Embedded Redis must be told a port before it starts (it cannot bind 0 and report back). */
  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
