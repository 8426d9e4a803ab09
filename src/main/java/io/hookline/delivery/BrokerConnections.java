package io.hookline.delivery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayList;
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

  static BrokerConnections of(Vertx vertx) {
    LocalMap<String, BrokerConnections> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (BrokerConnections.class) {
      return map.computeIfAbsent(KEY, k -> new BrokerConnections());
    }
  }

  /** The shared connection to {@code kind} at {@code endpoint}, opened by {@code open} if there is none. */
  @SuppressWarnings("unchecked")
  synchronized <T extends BrokerConnection> T acquire(String kind, String endpoint, Supplier<T> opener) {
    String key = kind + "|" + endpoint;
    Entry e = open.get(key);
    T c = e == null ? opener.get() : (T) e.connection();
    open.put(key, new Entry(c, e == null ? 1 : e.references() + 1));
    return c;
  }

  Future<Void> release(BrokerConnection c) {
    String key = c.kind() + "|" + c.endpoint();
    synchronized (this) {
      Entry e = open.get(key);
      if (e == null || e.connection() != c) {
        return Future.succeededFuture();
      }
      if (e.references() > 1) {
        open.put(key, new Entry(c, e.references() - 1));
        return Future.succeededFuture();
      }
      open.remove(key);
    }
    return c.close();
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
