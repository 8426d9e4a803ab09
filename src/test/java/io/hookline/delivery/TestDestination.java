package io.hookline.delivery;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP destination for delivery tests: records every request it receives (headers, body,
 * arrival time) and answers as the test scripts it. It tracks how many requests it is holding at
 * once, so tests can check in-flight caps.
 */
final class TestDestination implements AutoCloseable {
  /** What arrived. {@code arrivedNanos} is System.nanoTime() on arrival (body read). */
  record Received(MultiMap headers, Buffer body, long arrivedNanos, long arrivedEpochMillis, String uri) {
    String eventId() {
      return headers.get("webhook-id");
    }

    int attempt() {
      return Integer.parseInt(headers.get("Hookline-Attempt"));
    }
  }

  /** How to answer one request: a status with headers, or never (hold the connection open). */
  record Reply(int status, String retryAfter, long delayMs, boolean hang) {
    static Reply status(int status) {
      return new Reply(status, null, 0, false);
    }

    static Reply retryAfter(int status, String value) {
      return new Reply(status, value, 0, false);
    }

    static Reply delayed(int status, long ms) {
      return new Reply(status, null, ms, false);
    }

    static Reply holdForever() {
      return new Reply(0, null, 0, true);
    }
  }

  private final Vertx vertx;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger holding = new AtomicInteger();
  private final AtomicInteger maxHolding = new AtomicInteger();
  private final List<HttpServerRequest> hanging = new CopyOnWriteArrayList<>();
  private final java.util.Map<String, AtomicInteger> holdingPerEvent = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicInteger maxHoldingPerEvent = new AtomicInteger();
  private volatile Function<Received, Reply> script;
  private HttpServer server;
  private int port;

  private TestDestination(Vertx vertx, Function<Received, Reply> script) {
    this.vertx = vertx;
    this.script = script;
  }

  static TestDestination start(Vertx vertx, int port, Function<Received, Reply> script) {
    TestDestination d = new TestDestination(vertx, script);
    d.listen(port);
    return d;
  }

  static TestDestination start(Vertx vertx, Function<Received, Reply> script) {
    return start(vertx, 0, script);
  }

  void script(Function<Received, Reply> script) {
    this.script = script;
  }

  private void listen(int wanted) {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      Received r = new Received(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body, System.nanoTime(),
          System.currentTimeMillis(), req.uri());
      received.add(r);
      int now = holding.incrementAndGet();
      maxHolding.accumulateAndGet(now, Math::max);
      AtomicInteger sameEvent = holdingPerEvent.computeIfAbsent(String.valueOf(r.eventId()), k -> new AtomicInteger());
      maxHoldingPerEvent.accumulateAndGet(sameEvent.incrementAndGet(), Math::max);
      Reply reply = script.apply(r);
      if (reply.hang()) {
        hanging.add(req);
        req.connection().closeHandler(v -> {
          holding.decrementAndGet();
          sameEvent.decrementAndGet();
        });
        return;
      }
      Runnable answer = () -> {
        holding.decrementAndGet();
        sameEvent.decrementAndGet();
        if (reply.retryAfter() != null) {
          req.response().putHeader("Retry-After", reply.retryAfter());
        }
        req.response().setStatusCode(reply.status()).end("status " + reply.status());
      };
      if (reply.delayMs() > 0) {
        vertx.setTimer(reply.delayMs(), id -> answer.run());
      } else {
        answer.run();
      }
    }));
    this.server = Harness.await(server.listen(wanted, "127.0.0.1"));
    this.port = server.actualPort();
  }

  String url() {
    return "http://127.0.0.1:" + port + "/hook";
  }

  int port() {
    return port;
  }

  List<Received> received() {
    return new ArrayList<>(received);
  }

  List<Received> receivedFor(String eventId) {
    return received.stream().filter(r -> eventId.equals(r.eventId())).toList();
  }

  int maxConcurrent() {
    return maxHolding.get();
  }

  /** The most requests for one event id this destination ever held at the same time. */
  int maxConcurrentPerEvent() {
    return maxHoldingPerEvent.get();
  }

  int holding() {
    return holding.get();
  }

  Future<Void> stop() {
    return server.close();
  }

  @Override
  public void close() {
    Harness.await(server.close());
  }

  static long millisBetween(Received a, Received b) {
    return TimeUnit.NANOSECONDS.toMillis(b.arrivedNanos() - a.arrivedNanos());
  }
}
