package io.hookline.delivery;

import io.hookline.config.HooklineConfig;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.impl.Headers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * A NATS JetStream subject: one message per attempt, the metadata as NATS headers, with
 * {@code Nats-Msg-Id} = Hookline's event id so the stream drops a repeat within its duplicate
 * window. Delivered when JetStream's publish ack arrives (the stream stored it); a subject no stream
 * captures is a failed attempt ("no responders").
 */
final class NatsDestination implements Destination {
  /** The node's connection to one NATS URL (jnats reconnects on its own, for ever), shared by its destinations. */
  static final class Connection extends BrokerConnectionBase {
    private final Vertx vertx;
    private volatile io.nats.client.Connection connection;
    private volatile JetStream jetStream;

    Connection(Vertx vertx, String url, String endpoint) {
      super("nats", endpoint, "connecting");
      this.vertx = vertx;
      Options options = new Options.Builder()
          .server(url)
          .connectionName("hookline")
          .connectionTimeout(Duration.ofSeconds(5))
          .maxReconnects(-1)
          .reconnectWait(Duration.ofSeconds(1))
          .connectionListener((conn, event) -> {
            switch (event) {
              case CONNECTED, RECONNECTED -> {
                connection = conn;
                try {
                  jetStream = conn.jetStream();
                  lastError = null;
                } catch (java.io.IOException e) {
                  lastError = DestinationTarget.describe(e);
                }
              }
              case DISCONNECTED -> lastError = "disconnected";
              case CLOSED -> lastError = "closed";
              default -> { }
            }
          })
          .errorListener(new io.nats.client.ErrorListener() { })
          .build();
      // Connects in the background and keeps trying while the server is down: the node starts regardless.
      vertx.executeBlocking(() -> {
        Nats.connectAsynchronously(options, true);
        return null;
      }).onFailure(err -> lastError = DestinationTarget.describe(err));
    }





    @Override
    public Future<Void> close() {
      io.nats.client.Connection c = connection;
      if (c == null) {
        return Future.succeededFuture();
      }
      return vertx.executeBlocking(() -> {
        c.close(); // flushes what is queued, waits for the server (blocking: a worker thread)
        return null;
      });
    }
  }

  private final Connection connection;
  private final BrokerConnections brokers;
  private final MessageKey subject;

  NatsDestination(Vertx vertx, BrokerConnections brokers, HooklineConfig.Nats config, MessageKey subject) {
    this.brokers = brokers;
    this.connection = brokers.acquire("nats", config.endpoint(), config.url().value(),
        () -> new Connection(vertx, config.url().value(), config.endpoint()));
    this.subject = subject;
  }

  @Override
  public String kind() {
    return "nats";
  }

  @Override
  public void send(DeliveryMessage m, InFlight attempt) throws io.hookline.expression.ExpressionException {
    JetStream js = connection.jetStream;
    if (js == null || connection.lastError != null) {
      attempt.complete(AttemptResponse.failed("nats: not connected (" + connection.lastError + ")"));
      return;
    }
    Headers headers = new Headers();
    m.forEachBrokerHeader(headers::add);
    // publishAsync only queues the message on the connection's writer thread: it does not block.
    js.publishAsync(subject.of(m), headers, m.body().getBytes(), PublishOptions.builder().messageId(m.webhookId()).build())
        .whenComplete((ack, err) -> attempt.complete(err == null ? AttemptResponse.durablyAcknowledged()
            : AttemptResponse.failed("nats: " + DestinationTarget.describe(err instanceof java.util.concurrent.CompletionException
                && err.getCause() != null ? err.getCause() : err))));
  }

  @Override
  public Future<Void> close() {
    return brokers.release(connection);
  }
}
