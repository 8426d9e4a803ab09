package io.hookline.management.admin;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** The console runs only its own scripts (no inline code, nothing from elsewhere) and is never framed. */
final class ConsoleHeaders implements Handler<RoutingContext> {
  @Override
  public void handle(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cache-Control", "no-store");
    ctx.next();
  }
}
