package io.hookline.expression;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.primitives.UnsignedLong;
import dev.cel.common.values.NullValue;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON in and out of CEL: a body becomes maps, lists, strings, {@code int} (whole numbers that fit
 * 64 bits), {@code double}, bools and CEL's null; a result becomes plain Java for Jackson.
 */
final class JsonValues {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonValues() {}

  /** The body as CEL values, or CEL's null when it is empty or not JSON. */
  static Object parseBody(Buffer raw) {
    if (raw == null || raw.length() == 0) {
      return NullValue.NULL_VALUE;
    }
    try {
      JsonNode tree = MAPPER.readTree(raw.getBytes());
      return tree == null ? NullValue.NULL_VALUE : fromJson(tree);
    } catch (IOException notJson) {
      return NullValue.NULL_VALUE;
    }
  }

  private static Object fromJson(JsonNode n) {
    switch (n.getNodeType()) {
      case OBJECT: {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          m.put(e.getKey(), fromJson(e.getValue()));
        }
        return m;
      }
      case ARRAY: {
        List<Object> l = new ArrayList<>(n.size());
        n.forEach(item -> l.add(fromJson(item)));
        return l;
      }
      case NUMBER:
        return n.isIntegralNumber() && n.canConvertToLong() ? (Object) n.longValue() : (Object) n.doubleValue();
      case STRING:
        return n.textValue();
      case BOOLEAN:
        return n.booleanValue();
      default:
        return NullValue.NULL_VALUE;
    }
  }

  static JsonNode readTree(String json) throws IOException {
    return MAPPER.readTree(json);
  }

  /** Java null as CEL's null. */
  static Object forCel(Object v) {
    return v == null ? NullValue.NULL_VALUE : v;
  }

  /** A CEL result as plain Java (Map with string keys, List, String, Long, Double, Boolean, null). */
  static Object toPlain(Object v) {
    if (v == null || v instanceof NullValue) {
      return null;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, val) -> out.put(String.valueOf(toPlain(k)), toPlain(val)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(item -> out.add(toPlain(item)));
      return out;
    }
    if (v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
      return v;
    }
    if (v instanceof Integer i) {
      return i.longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    if (v instanceof UnsignedLong u) {
      return u.bigIntegerValue();
    }
    if (v instanceof com.google.protobuf.Timestamp t) {
      return Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString();
    }
    if (v instanceof Instant i) {
      return i.toString();
    }
    if (v instanceof com.google.protobuf.ByteString b) {
      return Base64.getEncoder().encodeToString(b.toByteArray());
    }
    if (v instanceof com.google.protobuf.Duration d) {
      return java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos()).toString();
    }
    return v.toString();
  }

  static byte[] toJsonBytes(Object celValue) {
    try {
      return MAPPER.writeValueAsBytes(toPlain(celValue));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("plain values always serialise", e);
    }
  }

  /** Text of a scalar result (string, number, bool); null for anything else. */
  static String scalarText(Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Boolean || v instanceof Long || v instanceof Integer || v instanceof UnsignedLong) {
      return v.toString();
    }
    if (v instanceof Double d) {
      return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : d.toString();
    }
    return null;
  }

  static String celTypeName(Object v) {
    if (v == null || v instanceof NullValue) {
      return "null";
    }
    if (v instanceof Map) {
      return "map";
    }
    if (v instanceof List) {
      return "list";
    }
    if (v instanceof Long || v instanceof Integer) {
      return "int";
    }
    if (v instanceof Double) {
      return "double";
    }
    return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
