package io.hookline.management.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's JSON object body as validated against the admin API's contract
 * ({@code openapi/admin-api.yaml}): which fields exist, their types and allowed values are checked
 * there (a wrong one is a 400 naming it before the handler runs), so this only reads.
 */
final class JsonBody {
  private final JsonObject json;

  private JsonBody(JsonObject json) {
    this.json = json;
  }

  /** An absent (optional) body is an empty object. */
  static JsonBody of(RoutingContext ctx) {
    ValidatedRequest validated = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    JsonObject json = validated == null || validated.getBody() == null ? null : validated.getBody().getJsonObject();
    return new JsonBody(json == null ? new JsonObject() : json);
  }

  boolean has(String name) {
    return json.getValue(name) != null;
  }

  String string(String name) {
    return json.getString(name);
  }

  boolean bool(String name) {
    return json.getBoolean(name, false);
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
    List<String> out = new ArrayList<>();
    ((JsonArray) v).forEach(o -> out.add((String) o));
    return out;
  }
}
