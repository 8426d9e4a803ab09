package io.hookline.management.admin;

import io.hookline.delivery.DeliveryAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.UUID;

/**
 * Tells this node's delivery workers that deliveries are due now, so a replay is sent at once
 * instead of at the next poll (other nodes' workers find it on their own poll).
 */
final class WorkerWakeUp {
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  private final Vertx vertx;

  WorkerWakeUp(Vertx vertx) {
    this.vertx = vertx;
  }

  void wake(UUID eventId) {
    vertx.eventBus().publish(DeliveryAddresses.EVENT_COMMITTED, eventId.toString(), LOCAL);
  }
}
