package io.hookline.management.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeSet;

/**
 * The admin API's contract ({@code openapi/admin-api.yaml}) and the router built from it: each
 * operation's request is validated against the document before its handler runs; a validation
 * error reaches {@link AdminErrors} as a 400 {@code bad_parameter} naming the parameter or field.
 * The router is mounted under {@code /admin/api} on the management port only, so the public ingest
 * port never pays for it.
 *
 * <p>To add an operation: describe it in {@code admin-api.yaml} (see the comment at its top), then
 * bind its {@code operationId} to its handler in the map given to {@link #router}; start-up fails on
 * an operation without a handler or a handler without an operation.
 */
final class AdminApi {
  static final String DOCUMENT = "openapi/admin-api.yaml";

  private final OpenAPIContract contract;
  private final Buffer json;

  private AdminApi(OpenAPIContract contract, Buffer json) {
    this.contract = contract;
    this.json = json;
  }

  /** Reads and checks the document (off the event loop: it is a classpath read and a YAML parse). */
  static Future<AdminApi> load(Vertx vertx) {
    return vertx.executeBlocking(AdminApi::readDocument)
        .compose(doc -> OpenAPIContract.from(vertx, doc.copy()).map(c -> new AdminApi(c, doc.toBuffer())));
  }

  static JsonObject readDocument() throws IOException {
    try (InputStream in = AdminApi.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
      if (in == null) {
        throw new IOException(DOCUMENT + " is missing from the class path");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map = new ObjectMapper(new YAMLFactory()).readValue(in, Map.class);
      return new JsonObject(map);
    }
  }

  OpenAPIContract contract() {
    return contract;
  }

  /** {@code GET /admin/api/openapi.json}: the document as JSON, pre-encoded once. */
  Handler<RoutingContext> documentHandler() {
    return ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
  }

  /**
   * A router for the paths below {@code /admin/api} (mount it with {@code subRouter}), one route per
   * operation: validation, then the operation's handler. Authentication and roles are checked
   * before it (by {@link AdminAuth} on the mounting route), not by the contract's security schemes.
   */
  Router router(Vertx vertx, Map<String, Handler<RoutingContext>> handlers) {
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    TreeSet<String> unbound = new TreeSet<>(handlers.keySet());
    for (OpenAPIRoute route : builder.getRoutes()) {
      String id = route.getOperation().getOperationId();
      Handler<RoutingContext> handler = handlers.get(id);
      if (handler == null) {
        throw new IllegalStateException("admin API operation " + id + " in " + DOCUMENT + " has no handler");
      }
      unbound.remove(id);
      route.setDoSecurity(false).addHandler(handler).addFailureHandler(new AdminErrors());
    }
    if (!unbound.isEmpty()) {
      throw new IllegalStateException("admin API handlers without an operation in " + DOCUMENT + ": " + unbound);
    }
    return builder.createRouter();
  }
}
