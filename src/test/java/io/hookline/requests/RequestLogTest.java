package io.hookline.requests;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.store.RequestLogStore.RefusedRequest;
import io.vertx.core.buffer.Buffer;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The node-side bounds of the requests log: a budget per source and reason, and a buffer that drops rather than grows. */
class RequestLogTest {

  static RefusedRequest request(int bodyBytes) {
    return new RefusedRequest(UUID.randomUUID(), OffsetDateTime.now(), "s", "invalid_signature", 401, "127.0.0.1:1", "n",
        null, null, "[]", Buffer.buffer(new byte[bodyBytes]), false);
  }

  @Test
  void eachSourceAndReasonHasItsOwnBudgetPerMinute() {
    RequestLog log = new RequestLog(3, "n");
    int admitted = 0;
    for (int i = 0; i < 100; i++) {
      admitted += log.admit("a", "invalid_signature") ? 1 : 0;
    }
    // At most two minutes' budgets if the minute turns over during the loop.
    assertThat(admitted).isBetween(3, 6);
    assertThat(log.admit("a", "missing_signature")).isTrue();
    assertThat(log.admit("b", "invalid_signature")).isTrue();
    assertThat(log.notStored()).isEqualTo(100 - admitted);
  }

  @Test
  void whatIsNotStoredIsCountedPerSourceAndReason() {
    java.util.Map<String, java.util.concurrent.atomic.LongAdder> counted = new java.util.concurrent.ConcurrentHashMap<>();
    RequestLog log = new RequestLog(2, "n", (source, reason, notStored) -> counted.put(source + "/" + reason, notStored));
    int admitted = 0;
    for (int i = 0; i < 50; i++) {
      admitted += log.admit("s", "invalid_signature") ? 1 : 0;
    }
    assertThat(log.admit("t", "missing_signature")).isTrue();
    assertThat(counted.keySet()).containsExactlyInAnyOrder("s/invalid_signature", "t/missing_signature");
    assertThat(counted.get("s/invalid_signature").sum()).isEqualTo(50 - admitted);
    assertThat(counted.get("t/missing_signature").sum()).isZero();
    // A full buffer's drops count under their own source and reason too.
    for (int i = 0; i < RequestLog.MAX_BUFFERED + 3; i++) {
      log.add(request(1));
    }
    assertThat(counted.get("s/invalid_signature").sum()).isEqualTo(50 - admitted + 3);
    assertThat(log.notStored()).isEqualTo(50 - admitted + 3);
  }

  @Test
  void zeroPerMinuteStoresNothing() {
    RequestLog log = new RequestLog(0, "n");
    assertThat(log.admit("a", "invalid_signature")).isFalse();
  }

  @Test
  void theBufferDropsBeyondItsCountAndByteBounds() {
    RequestLog log = new RequestLog(60, "n");
    for (int i = 0; i < RequestLog.MAX_BUFFERED + 10; i++) {
      log.add(request(10));
    }
    assertThat(log.buffered()).isEqualTo(RequestLog.MAX_BUFFERED);
    assertThat(log.notStored()).isEqualTo(10);
    assertThat(log.drain(100)).hasSize(100);
    assertThat(log.buffered()).isEqualTo(RequestLog.MAX_BUFFERED - 100);
    log.drain(Integer.MAX_VALUE);

    int fit = (int) (RequestLog.MAX_BUFFERED_BYTES / RequestLog.MAX_BODY_BYTES);
    for (int i = 0; i < fit + 5; i++) {
      log.add(request(RequestLog.MAX_BODY_BYTES - 2)); // + "[]" of headers: exactly 64 KiB each
    }
    assertThat(log.buffered()).isEqualTo(fit);
    assertThat(log.drain(Integer.MAX_VALUE)).hasSize(fit);
    assertThat(log.buffered()).isZero();
  }
}
