package io.hookline.management.admin;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Lets a request through only with {@code Authorization: Bearer <adminToken>}. Compares SHA-256
 * digests in constant time (equal lengths, so neither the token nor its length leaks by timing).
 * Puts the token's fingerprint (first 8 hex digits of its SHA-256) in the context for audit lines.
 */
final class AdminAuth implements Handler<RoutingContext> {
  static final String WHO = "admin.who";
  private static final String BEARER = "Bearer ";

  private final byte[] expected;
  private final String fingerprint;

  AdminAuth(String token) {
    this.expected = sha256(token);
    this.fingerprint = HexFormat.of().formatHex(expected).substring(0, 8);
  }

  /** Identifies the token in logs without revealing it. */
  String fingerprint() {
    return fingerprint;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    boolean ok = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
        && MessageDigest.isEqual(expected, sha256(header.substring(BEARER.length()).trim()));
    if (!ok) {
      ctx.fail(AdminFailure.unauthorized());
      return;
    }
    ctx.put(WHO, fingerprint);
    ctx.next();
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
