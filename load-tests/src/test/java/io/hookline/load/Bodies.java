package io.hookline.load;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Provider-shaped event bodies of an exact size with a unique event id each. The id is inside the
 * body where the provider puts it (Stripe {@code id}, Slack/Paddle {@code event_id}), so dedup
 * sees a new event every time; it has a fixed length, so every body of a size is that many bytes.
 */
public final class Bodies {
  /** Unique per load-generator JVM, so two runs against the same Redis never collide. */
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final AtomicLong COUNTER = new AtomicLong();
  private static final ConcurrentHashMap<String, String> PADDING = new ConcurrentHashMap<>();

  private Bodies() {}

  /** A fresh id, e.g. {@code evt-1a2b3c4d-000000000042} (always 25 characters). */
  public static String newEventId() {
    return String.format("evt-%s-%012d", RUN, COUNTER.incrementAndGet());
  }

  public static byte[] body(String provider, String eventId, long tsSeconds, int size) {
    String pad = PADDING.computeIfAbsent(provider + ':' + size, k -> padding(provider, size));
    return build(provider, eventId, tsSeconds, pad).getBytes(StandardCharsets.UTF_8);
  }

  private static String padding(String provider, int size) {
    int envelope = build(provider, "evt-00000000-000000000000", 1700000000L, "").getBytes(StandardCharsets.UTF_8).length;
    int n = Math.max(0, size - envelope);
    StringBuilder b = new StringBuilder(n);
    String words = provider.equals("twilio") ? "Hello+from+Hookline+load+" : "Lorem ipsum dolor sit amet, ";
    while (b.length() < n) {
      b.append(words, 0, Math.min(words.length(), n - b.length()));
    }
    return b.toString();
  }

  private static String build(String provider, String id, long ts, String pad) {
    return switch (provider) {
      case "stripe" -> "{\"id\":\"" + id + "\",\"object\":\"event\",\"api_version\":\"2024-06-20\",\"created\":" + ts
          + ",\"type\":\"invoice.paid\",\"data\":{\"object\":{\"id\":\"in_1OXk2bLkdIwHu7ix\",\"object\":\"invoice\","
          + "\"description\":\"" + pad + "\"}}}";
      case "slack" -> "{\"token\":\"XXYYZZ\",\"team_id\":\"T123ABC456\",\"api_app_id\":\"A123ABC456\",\"event\":{"
          + "\"type\":\"message\",\"channel\":\"C123ABC456\",\"text\":\"" + pad + "\"},\"type\":\"event_callback\","
          + "\"event_id\":\"" + id + "\",\"event_time\":" + ts + "}";
      case "paddle" -> "{\"event_id\":\"" + id + "\",\"event_type\":\"transaction.completed\",\"occurred_at\":\""
          + java.time.Instant.ofEpochSecond(ts) + "\",\"data\":{\"id\":\"txn_01hv8wptq8987qeep44cyrewp9\",\"note\":\""
          + pad + "\"}}";
      case "twilio" -> "MessageSid=" + id + "&AccountSid=AC0123456789abcdef0123456789abcdef&From=%2B14155550199"
          + "&To=%2B14155550100&SmsStatus=received&NumMedia=0&Body=" + pad;
      default -> "{\"type\":\"invoice.paid\",\"timestamp\":" + ts + ",\"data\":{\"id\":\"" + id
          + "\",\"customer\":\"cus_PAbcDeFgHiJkLm\",\"note\":\"" + pad + "\"}}";
    };
  }
}
