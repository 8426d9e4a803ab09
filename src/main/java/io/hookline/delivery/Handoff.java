package io.hookline.delivery;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's bounded in-memory hand-off from ingest to delivery. Ingest reserves one slot per
 * delivery before the commit; with a slot the deliveries are inserted leased to {@link #leaseOwner()}
 * and the committed event goes to a worker over the local bus. Without one (the workers are that far
 * behind) they are inserted unleased and the claim path takes them from PostgreSQL. A slot is held
 * until its attempt starts (or the delivery is given back), so at most {@code delivery.handoffCapacity}
 * deliveries wait in memory. Shared by the node's ingest verticles and delivery workers; thread-safe.
 */
public final class Handoff {
  /** Local only: the body is the {@link HandedOffEvent} object itself. */
  static final String ADDRESS = "hookline.delivery.handoff";
  private static final String CODEC = "hookline.handoff.local";
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setCodecName(CODEC);

  private final int capacity;
  private final String leaseOwner;
  private final Map<String, long[]> leaseMillisBySource = new HashMap<>();
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicInteger consumers = new AtomicInteger();
  private final EventRouter router;

  public Handoff(HooklineConfig config, String nodeId) {
    this.capacity = config.delivery().handoffCapacity();
    this.leaseOwner = nodeId + "/handoff";
    this.router = new EventRouter(config);
    for (SourceConfig s : config.sources()) {
      long[] ms = new long[s.destinations().size()];
      for (int i = 0; i < ms.length; i++) {
        DestinationConfig d = s.destinations().get(i);
        ms[i] = DestinationTarget.leaseMillis(config.delivery().lease(), d);
      }
      leaseMillisBySource.put(s.id(), ms);
    }
  }

  public String leaseOwner() {
    return leaseOwner;
  }

  /** Per destination of the source, in configuration order: how long a handed-off delivery is leased. */
  public long[] leaseMillis(String sourceId) {
    return leaseMillisBySource.get(sourceId);
  }

  /** Which destinations of the source an arriving event goes to ({@code eventTypes}, {@code filter}), with their leases. */
  public EventRouter.Route route(String sourceId, String eventType, io.hookline.expression.EventContext event) {
    return router.route(sourceId, eventType, event);
  }

  /** The arriving event as its source's expressions see it (null when the source has none): {@link EventRouter#context}. */
  public io.hookline.expression.EventContext eventContext(String sourceId, String eventType, java.util.UUID id,
      String providerEventId, long receivedAtMillis, java.util.function.Supplier<java.util.Map<String, String>> headers,
      io.vertx.core.buffer.Buffer body) {
    return router.context(sourceId, eventType, id, providerEventId, receivedAtMillis, headers, body);
  }

  /** Reserves {@code n} slots (one per delivery of an event); false when full or no worker listens. */
  public boolean tryReserve(int n) {
    if (consumers.get() == 0) {
      return false;
    }
    while (true) {
      int h = held.get();
      if (h + n > capacity) {
        return false;
      }
      if (held.compareAndSet(h, h + n)) {
        return true;
      }
    }
  }

  /** Gives back slots: the commit failed, the event was a duplicate, or its attempt started. */
  public void release(int n) {
    held.addAndGet(-n);
  }

  public int held() {
    return held.get();
  }

  /** After the commit: the event goes to one of this node's workers (round robin), as the object itself. */
  public void send(EventBus bus, HandedOffEvent event) {
    bus.send(ADDRESS, event, LOCAL);
  }

  void consumerRegistered() {
    consumers.incrementAndGet();
  }

  void consumerUnregistered() {
    consumers.decrementAndGet();
  }

  /** Registers the pass-by-reference codec once per event bus. */
  public static void registerCodec(EventBus bus) {
    synchronized (Handoff.class) {
      try {
        bus.registerCodec(new LocalCodec());
      } catch (IllegalStateException alreadyRegistered) {
        // another worker or the node registered it first
      }
    }
  }

  private static final class LocalCodec implements MessageCodec<HandedOffEvent, HandedOffEvent> {
    @Override
    public void encodeToWire(Buffer buffer, HandedOffEvent e) {
      throw new UnsupportedOperationException("the hand-off is local only");
    }

    @Override
    public HandedOffEvent decodeFromWire(int pos, Buffer buffer) {
      throw new UnsupportedOperationException("the hand-off is local only");
    }

    @Override
    public HandedOffEvent transform(HandedOffEvent e) {
      return e; // immutable record; the body Buffer is never written after the commit
    }

    @Override
    public String name() {
      return CODEC;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
