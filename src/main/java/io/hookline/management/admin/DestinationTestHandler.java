package io.hookline.management.admin;

import io.hookline.config.ConfigException;
import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.delivery.EventRouter;
import io.hookline.expression.DestinationExpressions;
import io.hookline.expression.EventContext;
import io.hookline.expression.ExpressionException;
import io.hookline.expression.OutgoingMessage;
import io.hookline.store.EventSearch;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /admin/api/destinations/{source}/{id}/test}: runs the destination's routing
 * ({@code eventTypes} + {@code filter}) and {@code transform} on a stored event ({@code event}) or on
 * a given {@code body} + {@code headers} (+ {@code type}), optionally with a candidate {@code filter}
 * / {@code transform} instead of the configured ones. Nothing is sent or stored. Answers
 * {@code {"matched","body","headers","path","error"}}: what would be sent (the transform is applied
 * even when the event does not match, so both can be tried at once).
 */
final class DestinationTestHandler implements Handler<RoutingContext> {
  private static final Set<String> TRANSFORM_FIELDS = Set.of("body", "headers", "path");

  private final EventSearch search;
  private final HooklineConfig config;

  DestinationTestHandler(EventSearch search, HooklineConfig config) {
    this.search = search;
    this.config = config;
  }

  @Override
  public void handle(RoutingContext ctx) {
    SourceConfig source = config.source(ctx.pathParam("source"));
    String destinationId = ctx.pathParam("id");
    DestinationConfig destination = source == null ? null
        : source.destinations().stream().filter(d -> d.id().equals(destinationId)).findFirst().orElse(null);
    if (destination == null) {
      throw AdminFailure.notFound("no destination '" + destinationId + "' in source '" + ctx.pathParam("source") + "'");
    }
    JsonBody body = JsonBody.of(ctx); // the fields were checked against the contract
    JsonObject raw = ctx.body() == null || ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
    if (body.has("event") == (raw.containsKey("body") || raw.containsKey("headers"))) {
      throw AdminFailure.badParameter("event", "give either event (a stored event's id) or body + headers");
    }
    DestinationExpressions candidate = candidate(raw, destination);
    event(body, raw, source).onSuccess(event -> {
      if (event == null) {
        ctx.fail(AdminFailure.notFound("no event " + raw.getString("event")));
        return;
      }
      ctx.json(evaluate(destination, candidate, event.context(), event.body(), event.contentType()));
    }).onFailure(ctx::fail);
  }

  /** The candidate filter/transform where given, else the configured ones; a bad one is a 400 naming it. */
  private static DestinationExpressions candidate(JsonObject raw, DestinationConfig destination) {
    String filter = destination.filter();
    HooklineConfig.Transform transform = destination.transform();
    if (raw.containsKey("filter")) {
      Object f = raw.getValue("filter");
      if (f != null && !(f instanceof String)) {
        throw AdminFailure.badParameter("filter", "filter must be a CEL expression (a string) or null");
      }
      filter = (String) f;
    }
    if (raw.containsKey("transform")) {
      transform = transform(raw.getValue("transform"));
    }
    try {
      return DestinationExpressions.of(filter, transform, "");
    } catch (ConfigException e) {
      throw AdminFailure.badParameter(e.field(), e.getMessage());
    }
  }

  private static HooklineConfig.Transform transform(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject t)) {
      throw AdminFailure.badParameter("transform", "transform must be an object with body, headers, path");
    }
    for (String name : t.fieldNames()) {
      if (!TRANSFORM_FIELDS.contains(name)) {
        throw AdminFailure.badParameter("transform." + name, "unknown field (allowed: body, headers, path)");
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    Object h = t.getValue("headers");
    if (h != null) {
      if (!(h instanceof JsonObject ho)) {
        throw AdminFailure.badParameter("transform.headers", "headers must map header names to CEL expressions");
      }
      for (String name : ho.fieldNames()) {
        if (!(ho.getValue(name) instanceof String expr)) {
          throw AdminFailure.badParameter("transform.headers." + name, "must be a CEL expression (a string)");
        }
        headers.put(name, expr);
      }
    }
    return new HooklineConfig.Transform(string(t, "body"), headers, string(t, "path"));
  }

  private static String string(JsonObject o, String name) {
    Object v = o.getValue(name);
    if (v != null && !(v instanceof String)) {
      throw AdminFailure.badParameter("transform." + name, "must be a CEL expression (a string)");
    }
    return (String) v;
  }

  /** The event to try: stored (by id) or given; null when the stored one does not exist. */
  private Future<TestEvent> event(JsonBody body, JsonObject raw, SourceConfig source) {
    if (body.has("event")) {
      UUID id = Params.uuid("event", body.string("event"));
      return search.detail(id).map(d -> d == null ? null
          : new TestEvent(StoredEvent.context(d), d.body(), d.contentType()));
    }
    Object b = raw.getValue("body");
    Buffer bytes = b == null ? Buffer.buffer() : b instanceof String s ? Buffer.buffer(s)
        : Buffer.buffer(Json.encode(b));
    Object h = raw.getValue("headers");
    Map<String, String> headers = new LinkedHashMap<>();
    if (h != null) {
      if (!(h instanceof JsonObject ho)) {
        throw AdminFailure.badParameter("headers", "headers must be an object of name to value");
      }
      for (String name : ho.fieldNames()) {
        if (!(ho.getValue(name) instanceof String v)) {
          throw AdminFailure.badParameter("headers", "header " + name + " must be a string");
        }
        headers.put(name, v);
      }
    }
    String contentType = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("content-type"))
        .map(Map.Entry::getValue).findFirst().orElse(b instanceof String ? null : "application/json");
    EventContext context = new EventContext(source.id(), UUID.randomUUID().toString(), "test", body.string("type"),
        Instant.now(), () -> EventContext.firstValues(headers.entrySet()), bytes);
    return Future.succeededFuture(new TestEvent(context, bytes, contentType));
  }

  private record TestEvent(EventContext context, Buffer body, String contentType) {}

  private static JsonObject evaluate(DestinationConfig destination, DestinationExpressions expressions,
                                     EventContext event, Buffer body, String contentType) {
    String[] error = new String[1];
    boolean typeMatches = EventRouter.typeMatches(destination, event.type());
    boolean matched = typeMatches && expressions.matches(event, error);
    OutgoingMessage message = OutgoingMessage.original(body, contentType);
    if (expressions.transform() != null) {
      try {
        message = expressions.transform().apply(event, body, contentType);
      } catch (ExpressionException e) {
        error[0] = error[0] == null ? "transform_failed: " + e.getMessage() : error[0];
        message = null;
      }
    }
    JsonObject out = new JsonObject().put("matched", matched).put("error", error[0]);
    if (!typeMatches) {
      out.put("error", error[0] == null ? "the event's type does not match eventTypes" : error[0]);
    }
    if (message == null) {
      return out.putNull("body").putNull("headers").putNull("path");
    }
    JsonObject headers = new JsonObject();
    if (message.contentType() != null) {
      headers.put("content-type", message.contentType());
    }
    message.headers().forEach(headers::put);
    return out.put("body", bodyValue(message)).put("headers", headers).put("path", message.pathSuffix());
  }

  /** JSON bodies as JSON, other text as a string, other bytes as null. */
  private static Object bodyValue(OutgoingMessage m) {
    byte[] bytes = m.body().getBytes();
    String text = AdminJson.utf8OrNull(bytes);
    if (text == null) {
      return null;
    }
    try {
      return Json.decodeValue(text);
    } catch (RuntimeException notJson) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
