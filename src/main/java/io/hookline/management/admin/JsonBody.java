package io.hookline.management.admin;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A request's JSON object body, read field by field; a wrong one is a 400 naming it. */
final class JsonBody {
  private final JsonObject json;

  private JsonBody(JsonObject json) {
    this.json = json;
  }

  /** An empty body is an empty object. */
  static JsonBody of(RoutingContext ctx, Set<String> allowed) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    JsonObject json;
    if (text == null || text.isBlank()) {
      json = new JsonObject();
    } else {
      try {
        Object parsed = io.vertx.core.json.Json.decodeValue(text);
        if (!(parsed instanceof JsonObject o)) {
          throw AdminFailure.badParameter("body", "the body must be a JSON object");
        }
        json = o;
      } catch (DecodeException e) {
        throw AdminFailure.badParameter("body", "the body is not valid JSON");
      }
    }
    for (String name : json.fieldNames()) {
      if (!allowed.contains(name)) {
        throw AdminFailure.badParameter(name, "unknown field '" + name + "' (allowed: "
            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
      }
    }
    return new JsonBody(json);
  }

  boolean has(String name) {
    return json.getValue(name) != null;
  }

  String string(String name) {
    Object v = json.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || s.isEmpty()) {
      throw AdminFailure.badParameter(name, name + " must be a non-empty string");
    }
    return s;
  }

  boolean bool(String name) {
    Object v = json.getValue(name);
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean b)) {
      throw AdminFailure.badParameter(name, name + " must be true or false");
    }
    return b;
  }

  /** A list of strings; a single string is a list of one. */
  List<String> strings(String name) {
    Object v = json.getValue(name);
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return List.of(s);
    }
    if (v instanceof JsonArray a && !a.isEmpty()) {
      List<String> out = new ArrayList<>();
      for (Object o : a) {
        if (!(o instanceof String s)) {
          throw AdminFailure.badParameter(name, name + " must be a list of strings");
        }
        out.add(s);
      }
      return out;
    }
    throw AdminFailure.badParameter(name, name + " must be a non-empty list of strings");
  }
}
