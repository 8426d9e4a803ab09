package io.hookline.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
  @Test
  void fastRfc3339AgreesWithJavaTimeOnGeneratedTimes() {
    Random random = new Random(18);
    for (int n = 0; n < 20_000; n++) {
      long seconds = random.nextLong(0, 4_102_444_800L); // 1970 .. 2100
      int nanos = random.nextInt(1_000_000_000);
      int offsetMinutes = random.nextInt(-17 * 60, 17 * 60 + 1);
      OffsetDateTime time = Instant.ofEpochSecond(seconds, nanos)
          .atOffset(java.time.ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
      String[] spellings = {
          time.toInstant().toString(),
          time.toString(),
          String.format("%04d-%02d-%02dT%02d:%02d:%02d%s", time.getYear(), time.getMonthValue(), time.getDayOfMonth(),
              time.getHour(), time.getMinute(), time.getSecond(), time.getOffset().getId().replace("Z", "+00:00")),
          String.format("%04d-%02d-%02dT%02d:%02d:%02d.%0" + (1 + random.nextInt(9)) + "dZ", time.getYear(),
              time.getMonthValue(), time.getDayOfMonth(), time.getHour(), time.getMinute(), time.getSecond(), 7)};
      for (String spelling : spellings) {
        assertAgrees(spelling);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-12-07T06:54:47Z", "2026-12-07T06:54:47.123456789Z", "2026-12-07T06:54:47.1-05:30",
      "2024-02-29T23:59:59+00:00", "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-07T24:00:00Z",
      "2026-12-07T06:60:00Z", "2026-12-30T23:59:60Z", "2026-12-07t06:54:47z", "2026-12-07T06:54Z", "2026-12-07T06:54:47",
      "2026-12-07T06:54:47.Z", "2026-12-07T06:54:47.1234567890Z", "2026-12-07T06:54:47+18:00", "2026-12-07T06:54:47+01",
      " 2026-12-07T06:54:47Z", "2026-12-07T06:54:47Z ", "+2026-12-07T06:54:47Z", "2026-1a-07T06:54:47Z", "0000-01-01T00:00:00Z",
      "2026-12-07T06:54:47-00:00", "2026-12-07T06:54:47+01:00:30"})
  void fastRfc3339AgreesWithJavaTimeOnEdges(String value) {
    assertAgrees(value);
  }

  /** Where the fast path answers it gives what Instant.parse and OffsetDateTime.parse give (truncated to ms). */
  private static void assertAgrees(String value) {
    long fast = Timestamps.fastRfc3339Millis(value);
    if (fast == Timestamps.NOT_FAST) {
      return;
    }
    assertThat(fast).as(value).isEqualTo(Instant.parse(value).toEpochMilli());
    assertThat(Math.floorDiv(fast, 1000)).as(value).isEqualTo(OffsetDateTime.parse(value).toEpochSecond());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2023-02-29T00:00:00Z", "2026-12-07T24:00:00Z", "2026-12-07T06:54:47", "2026-13-01T00:00:00Z"})
  void invalidValuesAreNeverAnsweredFast(String value) {
    assertThat(Timestamps.fastRfc3339Millis(value)).isEqualTo(Timestamps.NOT_FAST);
    boolean javaTimeReads;
    try {
      OffsetDateTime.parse(value);
      javaTimeReads = true;
    } catch (DateTimeParseException e) {
      javaTimeReads = false;
    }
    assertThat(javaTimeReads).isFalse();
  }

  @Test
  void commonFormsAreAnsweredFast() {
    assertThat(Timestamps.fastRfc3339Millis("2026-12-07T06:54:47Z")).isEqualTo(Instant.parse("2026-12-07T06:54:47Z").toEpochMilli());
    assertThat(Timestamps.fastRfc3339Millis("2026-12-07T06:54:47.999-08:00")).isNotEqualTo(Timestamps.NOT_FAST);
  }
}
