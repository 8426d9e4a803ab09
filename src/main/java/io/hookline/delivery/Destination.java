package io.hookline.delivery;

import io.vertx.core.Future;

/**
 * How one kind of destination takes a message: HTTP ({@link HttpDestination}) or a broker. What
 * every kind shares (retry policy, lease, timeout, meters, signature, controls) is in
 * {@link DestinationTarget}; an implementation only sends and says what came back.
 */
interface Destination {
  /** The kind's name in metrics and the admin API: http, kafka, rabbitmq, nats, redisStream. */
  String kind();

  /**
   * Sends one message and completes {@code attempt} with what came back (never fails it). The
   * attempt's timeout is armed by the caller; {@link InFlight#onAbort} lets it cut the send short.
   */
  void send(DeliveryMessage message, InFlight attempt) throws io.hookline.expression.ExpressionException;

  Future<Void> close();
}
