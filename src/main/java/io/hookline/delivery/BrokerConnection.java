package io.hookline.delivery;

import io.vertx.core.Future;

/**
 * A node's connection to one broker endpoint, shared by every destination and worker instance that
 * publishes there ({@link BrokerConnections}). Opened at start-up without waiting for it: a broker
 * that is down does not stop the node, its attempts fail and retry until it answers.
 */
interface BrokerConnection {
  String kind();

  /** Where it connects, password masked (safe for logs and the health body). */
  String endpoint();

  /** Connected (or, for clients that hide their connection, the last publish succeeded). */
  boolean up();

  /** Why it is down, without secrets; null when up. */
  String lastError();

  Future<Void> close();
}
