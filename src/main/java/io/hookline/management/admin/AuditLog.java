package io.hookline.management.admin;

import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per admin mutation: who (role and token fingerprint, never the token), what, how many. */
final class AuditLog {
  private static final Logger LOG = LoggerFactory.getLogger("hookline.audit");

  private AuditLog() {}

  static void mutation(RoutingContext ctx, String action, String target, long count) {
    // who = role:fingerprint, e.g. admin:3f2a9c1b
    LOG.info("admin audit: who={} action={} {} count={} remote={}", (String) ctx.get(AdminAuth.WHO), action, target,
        count, ctx.request().remoteAddress());
  }
}
