package io.hookline.ingest;

import io.hookline.dedup.RedisDedup;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/**
 * Mounts {@code /health/live} and {@code /health/ready} on the public port, checked on the ingest
 * verticle's own Redis connection and pool. The node passes in the management port's handler
 * ({@code io.hookline.management.HealthHandler}), so both ports answer alike.
 */
@FunctionalInterface
public interface HealthRoutes {
  void mount(Router router, RedisDedup redis, Pool pool);
}
