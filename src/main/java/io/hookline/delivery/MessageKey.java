package io.hookline.delivery;

/**
 * A broker message's key, routing key or subject for one delivery. Configured as a CEL expression
 * (SPEC "Destinations other than HTTP"); unset, the source and the provider's event id.
 */
@FunctionalInterface
interface MessageKey {
  MessageKey DEFAULT = DeliveryMessage::defaultKey;

  /** The key; a failure is a failed attempt with the message of {@link IllegalStateException}. */
  String of(DeliveryMessage message);
}
