package io.hookline.bench;

import io.hookline.verify.EventIds;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The dedup key the pipeline builds after verification ({@code EventIds.dedupKey}): the provider's
 * id as is, or {@code sha256:<hex>} of the body when the provider sends none (generic HMAC without
 * an id header). {@code newId} is the Hookline event id (UUIDv7) minted for every accepted event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class DedupKeyBenchmark {
  @Param({"512", "2048", "16384", "262144"})
  public int size;

  private byte[] body;
  private String providerId;

  @Setup
  public void setUp() {
    providerId = "evt_1OXk2bLkdIwHu7ixBenchAbc";
    body = Payloads.json("hmac", size, providerId);
  }

  @Benchmark
  public String providerId() {
    return EventIds.dedupKey(providerId, body);
  }

  @Benchmark
  public String bodyHash() {
    return EventIds.dedupKey(null, body);
  }

  @Benchmark
  public UUID newId() {
    return EventIds.newId();
  }
}
