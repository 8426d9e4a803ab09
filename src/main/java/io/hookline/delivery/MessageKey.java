package io.hookline.delivery;

import io.hookline.expression.Expression;
import io.hookline.expression.ExpressionException;

/**
 * A broker message's key, routing key or subject for one delivery. Configured as a CEL expression
 * (SPEC "Destinations other than HTTP"); unset, the source and the provider's event id.
 */
@FunctionalInterface
interface MessageKey {
  MessageKey DEFAULT = DeliveryMessage::defaultKey;

  /** The key; an expression that fails on the event makes the delivery dead ({@code transform_failed}). */
  String of(DeliveryMessage message) throws ExpressionException;

  /** The configured expression (compiled at start-up), or the default when there is none. */
  static MessageKey of(Expression expression) {
    return expression == null ? DEFAULT : m -> expression.evalString(m.event());
  }

  /** Whether it reads the event (then each attempt reads the event's other facts first). */
  static boolean readsEvent(MessageKey key) {
    return key != DEFAULT;
  }
}
