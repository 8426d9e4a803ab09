package io.hookline.ingest;

import io.hookline.node.ReadinessCheck;
import io.vertx.ext.web.Router;

/**
 * Mounts {@code /health/live} and {@code /health/ready} on the public port, checked by the ingest
 * verticle's own {@link ReadinessCheck}. The node passes in the management port's handler
 * ({@code io.hookline.management.HealthHandler}), so both ports answer alike.
 */
@FunctionalInterface
public interface HealthRoutes {
  void mount(Router router, ReadinessCheck readiness);
}
