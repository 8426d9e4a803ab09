package io.hookline.management.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Percentiles of bucketed ack latencies (bounds 0.25, 0.5, 1, 2.5 ms ...), interpolated inside a bucket. */
class StatsPercentileTest {

  @Test
  void percentilesInterpolateInsideTheirBucket() {
    assertThat(StatsHandler.percentile(new long[0], 0.5)).isNull();
    // 100 acks in (0.5, 1] ms: the median is half-way, the p99 near the top.
    long[] oneBucket = {0, 0, 100};
    assertThat(StatsHandler.percentile(oneBucket, 0.5)).isEqualTo(0.75);
    assertThat(StatsHandler.percentile(oneBucket, 0.99)).isEqualTo(0.9950, org.assertj.core.data.Offset.offset(0.01));
    // 99 fast, 1 very slow (overflow bucket, above 10 s): p50 fast, p99 still in the fast bucket, p99.9 the slow one.
    long[] tail = new long[io.hookline.overview.TrafficRecorder.BUCKET_MICROS.length + 1];
    tail[0] = 99;
    tail[tail.length - 1] = 1;
    assertThat(StatsHandler.percentile(tail, 0.5)).isLessThanOrEqualTo(0.25);
    assertThat(StatsHandler.percentile(tail, 0.999)).isEqualTo(10_000.0);
  }
}
