package io.hookline.management.admin;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A real HTTP destination that records what arrives and answers with a status the test sets. */
final class RecordingDestination implements AutoCloseable {
  record Received(String webhookId, Buffer body) {}

  private final Vertx vertx = Vertx.vertx();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile int status;

  RecordingDestination(int status) {
    this.status = status;
    this.server = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      received.add(new Received(req.getHeader("webhook-id"), body));
      req.response().setStatusCode(this.status).end();
    })).listen(0, "127.0.0.1"));
  }

  void answer(int status) {
    this.status = status;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/hook";
  }

  List<Received> receivedFor(String eventId) {
    return received.stream().filter(r -> eventId.equals(r.webhookId())).toList();
  }

  @Override
  public void close() {
    await(vertx.close());
  }

  private static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
