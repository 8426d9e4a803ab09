package io.hookline.overview;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.store.TrafficStore.MinuteTally;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-minute tally a node writes for the overview. */
class TrafficRecorderTest {

  @Test
  void latenciesFallInTheFirstBucketAtOrAboveThem() {
    assertThat(TrafficRecorder.bucket(0)).isZero();
    assertThat(TrafficRecorder.bucket(250)).isZero();
    assertThat(TrafficRecorder.bucket(251)).isEqualTo(1);
    assertThat(TrafficRecorder.bucket(10_000_000)).isEqualTo(TrafficRecorder.BUCKET_MICROS.length - 1);
    assertThat(TrafficRecorder.bucket(10_000_001)).isEqualTo(TrafficRecorder.BUCKET_MICROS.length);
  }

  @Test
  void countsAddUpPerSourceAndForgottenMinutesAreGone() {
    TrafficRecorder r = new TrafficRecorder("n");
    r.accepted("a", 300_000);
    r.accepted("a", 2_000_000);
    r.duplicate("a", 100_000);
    r.refused("a", "invalid_signature");
    r.refused("a", "invalid_signature");
    r.refused("b", "missing_signature");
    r.delivery("a", true);
    r.delivery("a", false);
    List<MinuteTally> all = r.snapshot();
    long accepted = all.stream().filter(t -> t.sourceId().equals("a")).mapToLong(MinuteTally::accepted).sum();
    long invalid = all.stream().filter(t -> t.sourceId().equals("a"))
        .mapToLong(t -> t.refused().getOrDefault("invalid_signature", 0L)).sum();
    long acks = all.stream().filter(t -> t.sourceId().equals("a"))
        .mapToLong(t -> java.util.Arrays.stream(t.ackBuckets()).sum()).sum();
    assertThat(accepted).isEqualTo(2);
    assertThat(invalid).isEqualTo(2);
    assertThat(acks).isEqualTo(3);
    assertThat(all.stream().filter(t -> t.sourceId().equals("b")).mapToLong(t -> t.refused().get("missing_signature")).sum())
        .isEqualTo(1);
    r.forgetBefore(Long.MAX_VALUE);
    assertThat(r.snapshot()).isEmpty();
  }
}
