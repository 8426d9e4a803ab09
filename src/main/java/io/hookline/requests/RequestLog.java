package io.hookline.requests;

import io.hookline.store.RequestLogStore.RefusedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's side of the requests log (SPEC "Refused requests"): decides which refused requests are
 * kept (at most {@code perMinute} per source and reason per minute; the rest only counted) and holds
 * them, bounded in number and bytes, until {@link RequestLogVerticle} writes them in batches. Called
 * from every event loop; lock-free, and never waits: when the buffer is full a request is dropped.
 */
public final class RequestLog {
  /**
   * Told once per source and reason, when the first request for it is refused, of a running count of
   * those requests the log did not store (over the budget, or the buffer full): the wiring makes it a meter.
   * The counter lives as long as the log (meters may hold it weakly).
   */
  @FunctionalInterface
  public interface NotStoredMeters {
    NotStoredMeters NONE = (sourceId, reason, notStored) -> {};

    void register(String sourceId, String reason, LongAdder notStored);
  }

  /** Bodies are kept up to this many bytes (SPEC: cut at 64 KiB). */
  public static final int MAX_BODY_BYTES = 64 * 1024;
  static final int MAX_BUFFERED = 2048;
  static final long MAX_BUFFERED_BYTES = 16L * 1024 * 1024;

  private final int perMinute;
  private final String nodeId;
  private final ConcurrentHashMap<String, Budget> budgets = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Pending> buffer = new ConcurrentLinkedQueue<>();
  private final AtomicInteger buffered = new AtomicInteger();
  private final AtomicLong bufferedBytes = new AtomicLong();
  private final AtomicLong notStored = new AtomicLong();
  private final NotStoredMeters meters;

  public RequestLog(int perMinute, String nodeId) {
    this(perMinute, nodeId, NotStoredMeters.NONE);
  }

  public RequestLog(int perMinute, String nodeId, NotStoredMeters meters) {
    this.perMinute = perMinute;
    this.nodeId = nodeId;
    this.meters = meters;
  }

  public String nodeId() {
    return nodeId;
  }

  /** True if a request refused now for this source and reason is to be stored; otherwise it is counted. */
  public boolean admit(String sourceId, String reason) {
    if (perMinute == 0) {
      return false;
    }
    Budget b = budget(sourceId, reason);
    if (b.take(System.currentTimeMillis() / 60_000, perMinute)) {
      return true;
    }
    b.notStored.increment();
    notStored.incrementAndGet();
    return false;
  }

  private Budget budget(String sourceId, String reason) {
    String key = sourceId + '\u0000' + reason;
    Budget b = budgets.get(key);
    if (b == null) {
      b = budgets.computeIfAbsent(key, k -> {
        Budget made = new Budget();
        meters.register(sourceId, reason, made.notStored);
        return made;
      });
    }
    return b;
  }

  /** An admitted request and its masked credential values, which the writer fingerprints (off the event loops). */
  record Pending(RefusedRequest request, List<CredentialFingerprints.Masked> masked) {
    long bytes() {
      long bytes = request.body().length() + request.headersJson().length();
      for (CredentialFingerprints.Masked m : masked) {
        bytes += m.value().length();
      }
      return bytes;
    }
  }

  /** Buffers an admitted request for the next write; dropped (and counted) if the buffer is full. */
  public void add(RefusedRequest r) {
    add(r, List.of());
  }

  /**
   * The same, with the request's masked credential values to fingerprint: held in memory only until the
   * writer has fingerprinted them (at most {@link CredentialFingerprints#MAX_VALUES} are).
   */
  public void add(RefusedRequest r, List<CredentialFingerprints.Masked> masked) {
    Pending p = new Pending(r, masked.size() > CredentialFingerprints.MAX_VALUES
        ? List.copyOf(masked.subList(0, CredentialFingerprints.MAX_VALUES)) : masked);
    long bytes = p.bytes();
    if (buffered.incrementAndGet() > MAX_BUFFERED || bufferedBytes.addAndGet(bytes) > MAX_BUFFERED_BYTES) {
      buffered.decrementAndGet();
      bufferedBytes.addAndGet(-bytes);
      budget(r.sourceId(), r.reason()).notStored.increment();
      notStored.incrementAndGet();
      return;
    }
    buffer.add(p);
  }

  /** Takes up to {@code max} buffered requests, oldest first. */
  List<Pending> drain(int max) {
    List<Pending> out = new ArrayList<>(Math.min(max, buffered.get()));
    Pending p;
    while (out.size() < max && (p = buffer.poll()) != null) {
      out.add(p);
      buffered.decrementAndGet();
      bufferedBytes.addAndGet(-p.bytes());
    }
    return out;
  }

  /** Refused requests admitted by nobody or dropped for a full buffer, since start. */
  public long notStored() {
    return notStored.get();
  }

  int buffered() {
    return buffered.get();
  }

  /** The requests admitted in the current minute; approximate by one or two as a minute turns over. */
  private static final class Budget {
    final AtomicLong minute = new AtomicLong(Long.MIN_VALUE);
    final AtomicInteger used = new AtomicInteger();
    /** Refused requests of this source and reason not stored: over the budget or the buffer full. */
    final LongAdder notStored = new LongAdder();

    boolean take(long now, int limit) {
      long m = minute.get();
      if (m != now && minute.compareAndSet(m, now)) {
        used.set(0);
      }
      return used.get() < limit && used.incrementAndGet() <= limit;
    }
  }
}
