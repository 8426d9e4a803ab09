package io.hookline.expression;

import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * What is sent to one destination for one event: the body and its content type, extra headers (in
 * configuration order) and a suffix for the destination's path. Without a transform it is the
 * stored event unchanged; HTTP and broker destinations both send exactly this.
 */
public record OutgoingMessage(Buffer body, String contentType, Map<String, String> headers, String pathSuffix) {
  public static final String JSON = "application/json";

  /** The event as stored: original bytes and content type, nothing added. */
  public static OutgoingMessage original(Buffer body, String contentType) {
    return new OutgoingMessage(body, contentType, Map.of(), "");
  }
}
