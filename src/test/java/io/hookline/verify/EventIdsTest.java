package io.hookline.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SPEC, "Event ids as keys": as sent; over 256 characters hashed; no id = body hash; control characters refused. */
class EventIdsTest {
  static final byte[] BODY = "{\"any\":\"body\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void anIdUpTo256CharactersIsTheKeyAsSent() {
    String id = "e".repeat(256);
    assertThat(EventIds.dedupKey(id, BODY)).isEqualTo(id);
    assertThat(EventIds.dedupKey("evt_1 with spaces/and:ünïcode", BODY)).isEqualTo("evt_1 with spaces/and:ünïcode");
  }

  @Test
  void aLongerIdIsTheHashOfTheIdNeverOfTheBody() {
    String id = "e".repeat(257);
    String key = EventIds.dedupKey(id, BODY);
    assertThat(key).isEqualTo("sha256:" + EventIds.sha256Hex(id.getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo(EventIds.dedupKey(null, BODY));
    String veryLong = "x".repeat(5000);
    assertThat(EventIds.accept(veryLong, null).eventId()).as("kept whole, hashed only as the key").isEqualTo(veryLong);
    assertThat(EventIds.dedupKey(veryLong, BODY)).startsWith("sha256:").hasSize(7 + 64);
  }

  @Test
  void noIdAtAllIsTheBodyHash() {
    assertThat(EventIds.dedupKey(null, BODY)).isEqualTo("sha256:" + EventIds.sha256Hex(BODY));
    assertThat(EventIds.accept("", "t").eventId()).isNull();
  }

  @Test
  void anIdWithControlCharactersIsRefused() {
    for (String id : new String[] {"evt\u0000x", "evt\nx", "\u007f", "evt\u0085"}) {
      Verification v = EventIds.accept(id, "t");
      assertThat(v.kind()).as(id).isEqualTo(Verification.Kind.REJECTED);
      assertThat(v.reason()).isEqualTo(Reason.MALFORMED_EVENT_ID);
      assertThat(v.reason().code()).isEqualTo("malformed_event_id");
      assertThat(v.reason().status()).isEqualTo(400);
    }
  }

  @Test
  void aTypeIsALabelDroppedWhenUnusable() {
    assertThat(EventIds.accept("evt", "invoice.paid").eventType()).isEqualTo("invoice.paid");
    assertThat(EventIds.accept("evt", "bad\ntype").eventType()).isNull();
    assertThat(EventIds.accept("evt", "t".repeat(2000)).eventType()).isNull();
    assertThat(EventIds.accept("evt", "bad\ntype").kind()).isEqualTo(Verification.Kind.ACCEPTED);
  }

  @Test
  void hooklineIdsAreTimeOrderedVersion7() {
    var a = EventIds.newId();
    var b = EventIds.newId();
    assertThat(a.version()).isEqualTo(7);
    assertThat(a.getMostSignificantBits() >>> 16).isLessThanOrEqualTo(b.getMostSignificantBits() >>> 16);
  }

  @Test
  void idsMadeOneAfterAnotherStrictlyIncreaseEvenWithinOneMillisecond() throws Exception {
    // Lists order by (received_at, id): two refused requests in one millisecond must keep their order.
    java.util.List<java.util.UUID> ids = new java.util.ArrayList<>();
    Thread[] threads = new Thread[2];
    java.util.List<java.util.List<java.util.UUID>> perThread = java.util.List.of(new java.util.ArrayList<>(), new java.util.ArrayList<>());
    for (int t = 0; t < threads.length; t++) {
      java.util.List<java.util.UUID> mine = perThread.get(t);
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 20_000; i++) {
          mine.add(EventIds.newId());
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    for (java.util.List<java.util.UUID> mine : perThread) {
      for (int i = 1; i < mine.size(); i++) {
        assertThat(Long.compareUnsigned(mine.get(i).getMostSignificantBits(), mine.get(i - 1).getMostSignificantBits()))
            .as("id %d after %d", i, i - 1).isPositive();
        assertThat(mine.get(i).version()).isEqualTo(7);
        assertThat(mine.get(i).variant()).isEqualTo(2);
      }
      ids.addAll(mine);
    }
    assertThat(new java.util.HashSet<>(ids)).hasSize(ids.size());
    long skew = (ids.get(ids.size() - 1).getMostSignificantBits() >>> 16) - System.currentTimeMillis();
    assertThat(skew).as("ids borrow at most a few milliseconds ahead").isLessThan(1_000);
  }
}
