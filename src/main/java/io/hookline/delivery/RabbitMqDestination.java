package io.hookline.delivery;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.hookline.config.HooklineConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * A RabbitMQ exchange: one persistent message per attempt, published {@code mandatory} on a channel
 * in confirm mode, the metadata as AMQP headers (and message id, content type). Delivered when the
 * broker confirms it; returned as unroutable (no queue bound), nacked, or lost with the channel is a
 * failed attempt.
 */
final class RabbitMqDestination implements Destination {
  /**
   * The node's connection to one RabbitMQ URL for one exchange: one channel in confirm mode, used by one worker
   * thread of its own (the Java client blocks), reopened after a failure every {@link #REOPEN_MS}.
   */
  static final class Connection extends BrokerConnectionBase {
    static final long REOPEN_MS = 1000;
    private final Vertx vertx;
    private final ConnectionFactory factory = new ConnectionFactory();
    private final WorkerExecutor worker;
    /** Published, not yet confirmed: by publish sequence number, what to do with the verdict. */
    private final ConcurrentNavigableMap<Long, Pending> unconfirmed = new ConcurrentSkipListMap<>();
    /** basic.return arrives before the confirm of the same message: the confirm then reports it unroutable. */
    private final Map<String, String> returned = new ConcurrentHashMap<>();
    private volatile com.rabbitmq.client.Connection connection;
    private volatile Channel channel;
    private volatile boolean closed;

    private record Pending(String returnKey, Consumer<AttemptResponse> done) {}

    Connection(Vertx vertx, String url, String endpoint) {
      super("rabbitmq", endpoint, "connecting");
      this.vertx = vertx;
      try {
        factory.setUri(url);
      } catch (Exception e) {
        throw new IllegalArgumentException("bad AMQP URL " + endpoint);
      }
      factory.setAutomaticRecoveryEnabled(false); // reopened here, so no confirm is left waiting on a dead channel
      factory.setConnectionTimeout(5000);
      factory.setRequestedHeartbeat(10);
      this.worker = vertx.createSharedWorkerExecutor("hookline-rabbitmq-" + endpoint, 1);
      open();
    }

    private void open() {
      if (closed) {
        return;
      }
      worker.executeBlocking(() -> {
        if (connection == null || !connection.isOpen()) {
          connection = factory.newConnection("hookline");
          // Its channel's listener below fails what was in flight and reopens; this one only keeps the reason.
          connection.addShutdownListener(cause -> lastError = "connection closed: " + reason(cause));
        }
        Channel ch = connection.createChannel();
        ch.confirmSelect();
        ch.addConfirmListener(new ConfirmListener() {
          @Override
          public void handleAck(long seq, boolean multiple) {
            confirmed(seq, multiple, true);
          }

          @Override
          public void handleNack(long seq, boolean multiple) {
            confirmed(seq, multiple, false);
          }
        });
        ch.addReturnListener(r -> returned.put(returnKey(r.getProperties().getMessageId(), r.getExchange(),
            r.getRoutingKey()), r.getReplyCode() + " " + r.getReplyText()));
        ch.addShutdownListener(cause -> {
          if (channel == ch) {
            channel = null;
            // A channel error (no such exchange) closes the channel only: fail what it carried, open another.
            lost("channel closed: " + reason(cause));
          }
        });
        channel = ch;
        lastError = null;
        return null;
      }).onFailure(err -> {
        lastError = DestinationTarget.describe(err);
        vertx.setTimer(REOPEN_MS, id -> open());
      });
    }

    private void lost(String why) {
      lastError = why;
      channel = null;
      unconfirmed.keySet().forEach(seq -> {
        Pending p = unconfirmed.remove(seq);
        if (p != null) {
          p.done().accept(AttemptResponse.failed("rabbitmq: " + why));
        }
      });
      if (!closed) {
        vertx.setTimer(REOPEN_MS, id -> open());
      }
    }

    private void confirmed(long seq, boolean multiple, boolean ack) {
      Map<Long, Pending> done = multiple ? unconfirmed.headMap(seq, true) : new HashMap<>();
      if (!multiple && unconfirmed.containsKey(seq)) {
        done.put(seq, unconfirmed.get(seq));
      }
      for (Long s : new java.util.ArrayList<>(done.keySet())) {
        Pending p = unconfirmed.remove(s);
        if (p == null) {
          continue;
        }
        String unroutable = returned.remove(p.returnKey());
        p.done().accept(!ack ? AttemptResponse.failed("rabbitmq: the broker nacked the message")
            : unroutable != null ? AttemptResponse.failed("rabbitmq: unroutable (" + unroutable + ")")
            : AttemptResponse.durablyAcknowledged());
      }
    }

    void publish(String exchange, String routingKey, AMQP.BasicProperties props, byte[] body,
                 Consumer<AttemptResponse> done) {
      worker.executeBlocking(() -> {
        Channel ch = channel;
        if (ch == null) {
          throw new IllegalStateException("not connected (" + lastError + ")");
        }
        long seq = ch.getNextPublishSeqNo();
        unconfirmed.put(seq, new Pending(returnKey(props.getMessageId(), exchange, routingKey), done));
        try {
          ch.basicPublish(exchange, routingKey, true, props, body);
        } catch (Exception e) {
          unconfirmed.remove(seq);
          throw e;
        }
        return null;
      }).onFailure(err -> done.accept(AttemptResponse.failed("rabbitmq: " + DestinationTarget.describe(err))));
    }

    private static String returnKey(String messageId, String exchange, String routingKey) {
      return messageId + '\u0000' + exchange + '\u0000' + routingKey;
    }

    private static String reason(ShutdownSignalException cause) {
      Object m = cause.getReason();
      return m instanceof com.rabbitmq.client.AMQP.Channel.Close c ? c.getReplyCode() + " " + c.getReplyText()
          : m instanceof com.rabbitmq.client.AMQP.Connection.Close c ? c.getReplyCode() + " " + c.getReplyText()
          : String.valueOf(cause.getMessage());
    }



    @Override
    public boolean up() {
      return channel != null;
    }


    @Override
    public Future<Void> close() {
      closed = true;
      return worker.executeBlocking(() -> {
        com.rabbitmq.client.Connection c = connection;
        if (c != null && c.isOpen()) {
          c.close(2000);
        }
        return null;
      }).<Void>mapEmpty().eventually(worker::close);
    }
  }

  private final Connection connection;
  private final BrokerConnections brokers;
  private final String exchange;
  private final MessageKey routingKey;

  RabbitMqDestination(Vertx vertx, BrokerConnections brokers, HooklineConfig.RabbitMq config, MessageKey routingKey) {
    this.brokers = brokers;
    // One connection and channel per URL and exchange: publishing to a missing exchange closes the
    // channel, which must not fail the other exchanges' messages waiting for their confirms.
    String endpoint = config.endpoint() + " exchange '" + config.exchange() + "'";
    this.connection = brokers.acquire("rabbitmq", endpoint, config.url().value(), () -> new Connection(vertx, config.url().value(), endpoint));
    this.exchange = config.exchange();
    this.routingKey = routingKey;
  }

  @Override
  public String kind() {
    return "rabbitmq";
  }

  @Override
  public void send(DeliveryMessage m, InFlight attempt) throws io.hookline.expression.ExpressionException {
    Map<String, Object> headers = new HashMap<>();
    m.forEachBrokerHeader(headers::put);
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .messageId(m.webhookId())
        .contentType(m.contentType())
        .timestamp(new java.util.Date(m.timestampSeconds() * 1000))
        .deliveryMode(2) // persistent: the confirm then means written to disk (durable queues)
        .headers(headers)
        .build();
    connection.publish(exchange, routingKey.of(m), props, m.body().getBytes(), attempt::complete);
  }

  @Override
  public Future<Void> close() {
    return brokers.release(connection);
  }
}
