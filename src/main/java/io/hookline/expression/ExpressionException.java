package io.hookline.expression;

/** An expression failed on one event (a missing field, a wrong type, the cost bound): CEL's message, no stack. */
public final class ExpressionException extends Exception {
  public ExpressionException(String message) {
    super(message, null, false, false);
  }
}
