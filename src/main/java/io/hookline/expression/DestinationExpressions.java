package io.hookline.expression;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;

/**
 * A destination's compiled {@code filter} and {@code transform} (either may be null). Compiled
 * expressions are cached by their text, so every component that asks for them (router, workers,
 * admin API) shares one compilation; {@link #compileAll} at start-up makes a bad one stop the node.
 */
public record DestinationExpressions(Expression filter, Transform transform) {
  public static final DestinationExpressions NONE = new DestinationExpressions(null, null);

  /** Compiles (or takes from the cache) the destination's expressions; a bad one is a ConfigException naming it. */
  public static DestinationExpressions of(SourceConfig source, DestinationConfig destination) {
    if (destination.filter() == null && destination.transform() == null) {
      return NONE;
    }
    String path = source.path() + ".destinations[" + source.destinations().indexOf(destination) + "]";
    return of(destination.filter(), destination.transform(), path);
  }

  /** A filter/transform; errors named {@code path.filter}, {@code path.transform.body}, ... ({@code filter}, ... when path is empty). */
  public static DestinationExpressions of(String filter, HooklineConfig.Transform transform, String path) {
    String prefix = path.isEmpty() ? "" : path + ".";
    return new DestinationExpressions(
        filter == null ? null : Expressions.compile(filter, prefix + "filter", Expressions.ResultKind.BOOL),
        transform == null ? null : Transform.compile(transform, prefix + "transform"));
  }

  /** Every expression of the configuration, compiled and type-checked: call at start-up (and in check-config). */
  public static void compileAll(HooklineConfig config) {
    for (SourceConfig s : config.sources()) {
      for (DestinationConfig d : s.destinations()) {
        of(s, d);
        brokerKey(s, d);
      }
    }
  }

  /**
   * A broker destination's key expression (Kafka {@code key}, RabbitMQ {@code routingKey}, NATS
   * {@code subject}), compiled as a string; null when it has none (the default key is used).
   */
  public static Expression brokerKey(SourceConfig source, DestinationConfig destination) {
    String expression;
    String name;
    if (destination.broker() instanceof HooklineConfig.Kafka k) {
      expression = k.key();
      name = "kafka.key";
    } else if (destination.broker() instanceof HooklineConfig.RabbitMq r) {
      expression = r.routingKey();
      name = "rabbitmq.routingKey";
    } else if (destination.broker() instanceof HooklineConfig.Nats n) {
      expression = n.subject();
      name = "nats.subject";
    } else {
      return null;
    }
    if (expression == null) {
      return null;
    }
    String path = source.path() + ".destinations[" + source.destinations().indexOf(destination) + "]." + name;
    return Expressions.compile(expression, path, Expressions.ResultKind.STRING);
  }

  /** Whether an attempt at this destination evaluates the event (a transform or a broker key), not only its route. */
  public static boolean readsEventAtDelivery(SourceConfig source, DestinationConfig destination) {
    return destination.transform() != null || brokerKey(source, destination) != null;
  }

  /** Whether an event must be evaluated at all for this destination. */
  public boolean any() {
    return filter != null || transform != null;
  }

  /**
   * The filter's verdict; a failing filter counts as not matching. {@code error[0]} receives its
   * message when given.
   */
  public boolean matches(EventContext event, String[] error) {
    if (filter == null) {
      return true;
    }
    try {
      return filter.evalBool(event);
    } catch (ExpressionException e) {
      if (error != null) {
        error[0] = e.getMessage();
      }
      return false;
    }
  }
}
