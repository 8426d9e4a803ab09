package io.hookline.delivery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The node's broker connections, one per kind and endpoint, shared by every delivery worker
 * instance of the Vert.x instance; each closed when the last destination using it closes.
 */
public final class BrokerConnections implements Shareable {
  private static final String MAP = "hookline.delivery.brokers";
  private static final String KEY = "brokers";

  private record Entry(BrokerConnection connection, int references) {}

  private final Map<String, Entry> open = new LinkedHashMap<>();
  /** Each open connection's key in {@link #open}: what release must find again. */
  private final Map<BrokerConnection, String> keys = new IdentityHashMap<>();
  /** Salts the credentials' fingerprint, so the key says nothing about a password, even to a heap dump reader. */
  private final byte[] salt = new byte[16];

  private BrokerConnections() {
    // nextBytes, not generateSeed: the latter may block on the kernel's entropy pool, and this runs on an event loop.
    new SecureRandom().nextBytes(salt);
  }

  static BrokerConnections of(Vertx vertx) {
    LocalMap<String, BrokerConnections> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (BrokerConnections.class) {
      return map.computeIfAbsent(KEY, k -> new BrokerConnections());
    }
  }

  /**
   * The shared connection to {@code kind} at {@code endpoint} with these {@code credentials} (the secrets
   * the endpoint's display leaves out: a password, a TLS key; "" for none), opened by {@code opener} if
   * there is none. Two destinations that differ only in a password get a connection each.
   */
  @SuppressWarnings("unchecked")
  synchronized <T extends BrokerConnection> T acquire(String kind, String endpoint, String credentials, Supplier<T> opener) {
    String key = kind + "|" + endpoint + "|" + fingerprint(credentials);
    Entry e = open.get(key);
    T c = e == null ? opener.get() : (T) e.connection();
    open.put(key, new Entry(c, e == null ? 1 : e.references() + 1));
    keys.put(c, key);
    return c;
  }

  Future<Void> release(BrokerConnection c) {
    synchronized (this) {
      String key = keys.get(c);
      Entry e = key == null ? null : open.get(key);
      if (e == null || e.connection() != c) {
        return Future.succeededFuture();
      }
      if (e.references() > 1) {
        open.put(key, new Entry(c, e.references() - 1));
        return Future.succeededFuture();
      }
      open.remove(key);
      keys.remove(c);
    }
    return c.close();
  }

  private String fingerprint(String credentials) {
    if (credentials == null || credentials.isEmpty()) {
      return "";
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(salt);
      return HexFormat.of().formatHex(sha.digest(credentials.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JRE has SHA-256
    }
  }

  /**
   * For {@code /health/ready}'s body: each broker connection's kind, endpoint and state ("UP" or
   * "DOWN" with the reason); null when the node has none. Never makes the node unready.
   */
  public static JsonArray health(Vertx vertx) {
    BrokerConnections b = of(vertx);
    List<BrokerConnection> list;
    synchronized (b) {
      list = new ArrayList<>();
      b.open.values().forEach(e -> list.add(e.connection()));
    }
    if (list.isEmpty()) {
      return null;
    }
    JsonArray out = new JsonArray();
    for (BrokerConnection c : list) {
      JsonObject o = new JsonObject().put("kind", c.kind()).put("endpoint", c.endpoint())
          .put("status", c.up() ? "UP" : "DOWN");
      if (!c.up() && c.lastError() != null) {
        o.put("error", c.lastError());
      }
      out.add(o);
    }
    return out;
  }
}
