package io.hookline.expression;

import io.hookline.config.HooklineConfig;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A destination's compiled {@code transform}: its {@code body} (sent as JSON), extra {@code headers}
 * and {@code path} suffix. Immutable and thread-safe.
 */
public final class Transform {
  private final Expression body;
  private final Map<String, Expression> headers;
  private final Expression path;

  private Transform(Expression body, Map<String, Expression> headers, Expression path) {
    this.body = body;
    this.headers = headers;
    this.path = path;
  }

  /** Compiles every expression of {@code config}; errors name {@code configPath}{@code .body|.headers.X|.path}. */
  public static Transform compile(HooklineConfig.Transform config, String configPath) {
    Expression b = config.body() == null ? null
        : Expressions.compile(config.body(), configPath + ".body", Expressions.ResultKind.JSON);
    Map<String, Expression> h = new LinkedHashMap<>();
    config.headers().forEach((name, source) ->
        h.put(name, Expressions.compile(source, configPath + ".headers." + name, Expressions.ResultKind.STRING)));
    Expression p = config.path() == null ? null
        : Expressions.compile(config.path(), configPath + ".path", Expressions.ResultKind.STRING);
    return new Transform(b, java.util.Collections.unmodifiableMap(h), p);
  }

  /**
   * The message for this event: the transformed body as JSON (or the original bytes and content
   * type when there is no {@code body}), the headers, the path suffix. Any failing expression, or a
   * header value or path with control characters, fails the whole transform.
   */
  public OutgoingMessage apply(EventContext event, Buffer originalBody, String originalContentType)
      throws ExpressionException {
    Buffer outBody = originalBody;
    String contentType = originalContentType;
    if (body != null) {
      outBody = Buffer.buffer(evalPart(body, "body", event));
      contentType = OutgoingMessage.JSON;
    }
    Map<String, String> outHeaders = Map.of();
    if (!headers.isEmpty()) {
      outHeaders = new LinkedHashMap<>();
      for (Map.Entry<String, Expression> e : headers.entrySet()) {
        String value = stringPart(e.getValue(), "headers." + e.getKey(), event);
        if (!printable(value)) {
          throw new ExpressionException("headers." + e.getKey() + ": the value holds control characters");
        }
        outHeaders.put(e.getKey(), value);
      }
    }
    String suffix = "";
    if (path != null) {
      suffix = stringPart(path, "path", event);
      if (!printable(suffix) || suffix.indexOf(' ') >= 0 || suffix.indexOf('#') >= 0 || suffix.indexOf('?') >= 0) {
        throw new ExpressionException("path: '" + suffix + "' holds spaces, '?', '#' or control characters");
      }
    }
    return new OutgoingMessage(outBody, contentType, outHeaders, suffix);
  }

  /** Whether any of its expressions reads {@code body}. */
  public boolean usesBody() {
    return (body != null && body.usesBody()) || (path != null && path.usesBody())
        || headers.values().stream().anyMatch(Expression::usesBody);
  }

  private static byte[] evalPart(Expression e, String part, EventContext event) throws ExpressionException {
    try {
      return e.evalJson(event);
    } catch (ExpressionException err) {
      throw new ExpressionException(part + ": " + err.getMessage());
    }
  }

  private static String stringPart(Expression e, String part, EventContext event) throws ExpressionException {
    try {
      return e.evalString(event);
    } catch (ExpressionException err) {
      throw new ExpressionException(part + ": " + err.getMessage());
    }
  }

  private static boolean printable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return false;
      }
    }
    return true;
  }
}
