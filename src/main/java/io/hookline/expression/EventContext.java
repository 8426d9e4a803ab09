package io.hookline.expression;

import com.google.protobuf.Timestamp;
import dev.cel.runtime.CelVariableResolver;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One event as its expressions see it: {@code body} (the JSON body as a map, null when not JSON),
 * {@code headers} (lower-case name to first value), {@code type}, {@code source}, {@code id},
 * {@code providerEventId}, {@code receivedAt}. The body is parsed on first use and kept, so all the
 * expressions of one event share one parse, and an event whose expressions never read the body
 * never parses it. Not thread-safe: one per event, on one thread.
 */
public final class EventContext implements CelVariableResolver {
  static final String BODY = "body";
  static final String HEADERS = "headers";
  static final String TYPE = "type";
  static final String SOURCE = "source";
  static final String ID = "id";
  static final String PROVIDER_EVENT_ID = "providerEventId";
  static final String RECEIVED_AT = "receivedAt";

  private final String source;
  private final String id;
  private final String providerEventId;
  private final String type;
  private final Instant receivedAt;
  private final Supplier<Map<String, String>> headers;
  private final Buffer rawBody;
  private Object body;
  private boolean bodyParsed;
  private Map<String, String> headerMap;

  /**
   * @param headers lower-case name to first value, computed on first use (null: no headers)
   * @param body    the stored bytes, exactly as received
   */
  public EventContext(String source, String id, String providerEventId, String type, Instant receivedAt,
                      Supplier<Map<String, String>> headers, Buffer body) {
    this.source = source;
    this.id = id;
    this.providerEventId = providerEventId;
    this.type = type;
    this.receivedAt = receivedAt;
    this.headers = headers;
    this.rawBody = body;
  }

  /** The body as the expressions see it (plain Java: Map, List, String, Long, Double, Boolean, null), parsed once. */
  public Object body() {
    if (!bodyParsed) {
      body = JsonValues.parseBody(rawBody);
      bodyParsed = true;
    }
    return body;
  }

  public String type() {
    return type;
  }

  public String source() {
    return source;
  }

  public String id() {
    return id;
  }

  /** Whether the body has been parsed (tests check that sources without expressions never parse it). */
  public boolean bodyParsed() {
    return bodyParsed;
  }

  public Map<String, String> headers() {
    if (headerMap == null) {
      headerMap = headers == null ? Map.of() : headers.get();
    }
    return headerMap;
  }

  /** Lower-case name to first value, from headers in arrival order. */
  public static Map<String, String> firstValues(Iterable<Map.Entry<String, String>> headers) {
    return firstValues(headers, java.util.Set.of());
  }

  /** The same, leaving out the names in {@code unstored} (a case-insensitive set): the headers as they are stored. */
  public static Map<String, String> firstValues(Iterable<Map.Entry<String, String>> headers, java.util.Set<String> unstored) {
    Map<String, String> out = new java.util.HashMap<>();
    for (Map.Entry<String, String> h : headers) {
      if (!unstored.contains(h.getKey())) {
        out.putIfAbsent(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue());
      }
    }
    return out;
  }

  /** Lower-case name to first value, from headers as stored ({@code [[name, value], ...]}). */
  public static Map<String, String> firstValues(String storedHeadersJson) {
    Map<String, String> out = new java.util.HashMap<>();
    if (storedHeadersJson == null) {
      return out;
    }
    try {
      for (com.fasterxml.jackson.databind.JsonNode pair : JsonValues.readTree(storedHeadersJson)) {
        if (pair.size() == 2) {
          out.putIfAbsent(pair.get(0).asText().toLowerCase(java.util.Locale.ROOT), pair.get(1).asText());
        }
      }
    } catch (java.io.IOException e) {
      // Stored headers are always written as JSON by ingest; unreadable ones are simply absent.
    }
    return out;
  }

  @Override
  public Optional<Object> find(String name) {
    return Optional.ofNullable(switch (name) {
      case BODY -> JsonValues.forCel(body());
      case HEADERS -> headers();
      case TYPE -> JsonValues.forCel(type);
      case SOURCE -> nullToEmpty(source);
      case ID -> nullToEmpty(id);
      case PROVIDER_EVENT_ID -> nullToEmpty(providerEventId);
      case RECEIVED_AT -> receivedAt == null ? null
          : Timestamp.newBuilder().setSeconds(receivedAt.getEpochSecond()).setNanos(receivedAt.getNano()).build();
      default -> null;
    });
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
