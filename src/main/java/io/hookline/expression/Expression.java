package io.hookline.expression;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.Program;

/**
 * One compiled, type-checked CEL expression (see {@link Expressions#compile}). Immutable and
 * thread-safe: one instance serves every event loop. Each eval takes the event's {@link EventContext}.
 */
public final class Expression {
  private final String source;
  private final Expressions.ResultKind kind;
  private final Program program;
  private final boolean usesBody;

  Expression(String source, Expressions.ResultKind kind, Program program, boolean usesBody) {
    this.source = source;
    this.kind = kind;
    this.program = program;
    this.usesBody = usesBody;
  }

  /** The expression as configured. */
  public String source() {
    return source;
  }

  /** Whether it reads {@code body} (only then is an event's body parsed for it). */
  public boolean usesBody() {
    return usesBody;
  }

  /** True or false; anything else (an error, a non-bool from a {@code dyn} value) is an {@link ExpressionException}. */
  public boolean evalBool(EventContext event) throws ExpressionException {
    Object v = eval(event);
    if (v instanceof Boolean b) {
      return b;
    }
    throw new ExpressionException("evaluated to " + JsonValues.celTypeName(v) + ", not bool");
  }

  /** A string; numbers and bools are printed, null and containers are errors. */
  public String evalString(EventContext event) throws ExpressionException {
    Object v = eval(event);
    String s = JsonValues.scalarText(v);
    if (s == null) {
      throw new ExpressionException("evaluated to " + JsonValues.celTypeName(v) + ", not a string");
    }
    return s;
  }

  /** The value as JSON bytes (UTF-8): maps, lists, strings, numbers, bools, null; timestamps as ISO-8601 strings. */
  public byte[] evalJson(EventContext event) throws ExpressionException {
    return JsonValues.toJsonBytes(eval(event));
  }

  /** The value converted to plain Java (Map, List, String, Long, Double, Boolean, null) for JSON rendering. */
  public Object evalPlain(EventContext event) throws ExpressionException {
    return JsonValues.toPlain(eval(event));
  }

  private Object eval(EventContext event) throws ExpressionException {
    try {
      return program.eval(event);
    } catch (CelEvaluationException e) {
      throw new ExpressionException(Expressions.oneLine(e.getMessage()));
    } catch (RuntimeException e) {
      // CEL reports some failures (a malformed value in the input) as unchecked exceptions.
      throw new ExpressionException(e.getClass().getSimpleName() + ": " + Expressions.oneLine(e.getMessage()));
    }
  }

  @Override
  public String toString() {
    return source;
  }
}
