package io.hookline.node;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Passes {@code X-Request-Id} through (when sane) or makes one, and echoes it on every response. */
public final class RequestIdHandler implements Handler<RoutingContext> {
  public static final String KEY = "requestId";
  private static final String HEADER = "X-Request-Id";
  private static final AtomicLong SEQ = new AtomicLong();
  private static final String NODE_PREFIX = Long.toString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFL, 36) + "-";

  @Override
  public void handle(RoutingContext ctx) {
    String id = ctx.request().getHeader(HEADER);
    if (id == null || id.length() > 128 || !printableAscii(id)) {
      id = NODE_PREFIX + Long.toString(SEQ.incrementAndGet(), 36);
    }
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  private static boolean printableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return !s.isEmpty();
  }
}
