package io.hookline.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real TCP relay in front of a real server, so a test can cut a dependency off (and bring it
 * back on the same port) while the node keeps running.
 */
public final class TcpProxy implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final String targetHost;
  private final int targetPort;
  private final int port;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private NetServer server;

  public TcpProxy(String targetHost, int targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.port = TestServices.freePort();
    start();
  }

  public int port() {
    return port;
  }

  public synchronized void start() {
    NetServer s = vertx.createNetServer().connectHandler(client -> {
      client.pause();
      sockets.add(client);
      vertx.createNetClient().connect(targetPort, targetHost).onComplete(ar -> {
        if (ar.failed()) {
          client.close();
          return;
        }
        NetSocket upstream = ar.result();
        sockets.add(upstream);
        client.handler(upstream::write);
        upstream.handler(client::write);
        client.closeHandler(v -> upstream.close());
        upstream.closeHandler(v -> client.close());
        client.resume();
      });
    });
    s.listen(port, "127.0.0.1").await();
    server = s;
  }

  /** Refuses new connections and drops the open ones, like a database that went away. */
  public synchronized void stop() {
    if (server != null) {
      server.close().await();
      server = null;
    }
    for (NetSocket s : sockets) {
      s.close();
    }
    sockets.clear();
  }

  @Override
  public void close() {
    stop();
    vertx.close().await();
  }
}
