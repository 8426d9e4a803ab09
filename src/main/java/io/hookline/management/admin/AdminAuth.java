package io.hookline.management.admin;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Lets a request through only with {@code Authorization: Bearer <token>} naming a role: the admin
 * token (everything) or the read token (GET and HEAD only; anything else is 403 {@code forbidden}).
 * Compares SHA-256 digests in constant time against both tokens every time (equal lengths, and the
 * same work whichever matches, so neither a token nor its length nor its role leaks by timing).
 * Puts the role and the token's fingerprint (first 8 hex digits of its SHA-256) in the context for
 * audit lines.
 */
final class AdminAuth implements Handler<RoutingContext> {
  static final String ROLE = "admin.role";
  static final String WHO = "admin.who";
  private static final String BEARER = "Bearer ";
  /** Never equal to a SHA-256 digest of a real token's bytes in practice: stands in for "no read token". */
  private static final byte[] NO_TOKEN = new byte[32];

  private final byte[] admin;
  private final byte[] read;
  private final boolean hasRead;

  /** {@code readToken} may be null (no read-only role). */
  AdminAuth(String adminToken, String readToken) {
    this.admin = sha256(adminToken);
    this.hasRead = readToken != null;
    this.read = hasRead ? sha256(readToken) : NO_TOKEN;
  }

  /** Identifies the admin token in logs without revealing it. */
  String fingerprint() {
    return fingerprint(admin);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      ctx.fail(AdminFailure.unauthorized());
      return;
    }
    byte[] given = sha256(header.substring(BEARER.length()).trim());
    // Both comparisons always run (non-short-circuit &, |): the time does not depend on which matched.
    boolean isAdmin = MessageDigest.isEqual(admin, given);
    boolean isRead = hasRead & MessageDigest.isEqual(read, given);
    if (!(isAdmin | isRead)) {
      ctx.fail(AdminFailure.unauthorized());
      return;
    }
    AdminRole role = isAdmin ? AdminRole.ADMIN : AdminRole.READ;
    ctx.put(ROLE, role);
    ctx.put(WHO, role.label + ":" + fingerprint(given));
    if (!role.mayMutate() && !ctx.request().method().equals(HttpMethod.GET) && !ctx.request().method().equals(HttpMethod.HEAD)) {
      ctx.fail(AdminFailure.forbidden());
      return;
    }
    ctx.next();
  }

  private static String fingerprint(byte[] digest) {
    return HexFormat.of().formatHex(digest).substring(0, 8);
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
