package io.hookline.bench;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Provider-shaped bodies of an exact size. Each body is valid JSON (or a valid form for Twilio)
 * built like the provider's real events: a few top-level fields, then a nested data object whose
 * line items are repeated until the target size is reached, padded exactly with a note string.
 */
public final class Payloads {
  private Payloads() {}

  /** Where the provider's event id sits relative to the bulk of the body. */
  public enum IdPosition { FIRST, LAST }

  /**
   * A JSON event of exactly {@code size} bytes whose {@code /id}-style field is {@code eventId}.
   * {@code provider} picks the envelope: stripe ({@code id} first), slack ({@code event_id} after
   * the large {@code event} object), paddle ({@code event_id} first), anything else a Standard
   * Webhooks style {@code {type, timestamp, data}}.
   */
  public static byte[] json(String provider, int size, String eventId) {
    String head;
    String tail;
    switch (provider) {
      case "stripe" -> {
        head = "{\"id\":\"" + eventId + "\",\"object\":\"event\",\"api_version\":\"2024-06-20\",\"created\":1700000000,"
            + "\"livemode\":false,\"pending_webhooks\":1,\"request\":{\"id\":null,\"idempotency_key\":null},"
            + "\"type\":\"invoice.paid\",\"data\":{\"object\":{\"id\":\"in_1OXk2bLkdIwHu7ix\",\"object\":\"invoice\","
            + "\"currency\":\"usd\",\"customer\":\"cus_PAbcDeFgHiJkLm\",\"lines\":[";
        tail = "]}}}";
      }
      case "slack" -> {
        head = "{\"token\":\"XXYYZZ\",\"team_id\":\"T123ABC456\",\"api_app_id\":\"A123ABC456\",\"event\":{"
            + "\"type\":\"message\",\"channel\":\"C123ABC456\",\"user\":\"U123ABC456\",\"ts\":\"1700000000.000200\","
            + "\"blocks\":[";
        tail = "]},\"type\":\"event_callback\",\"event_id\":\"" + eventId + "\",\"event_time\":1700000000}";
      }
      case "paddle" -> {
        head = "{\"event_id\":\"" + eventId + "\",\"event_type\":\"transaction.completed\","
            + "\"occurred_at\":\"2024-04-12T10:18:49.621022Z\",\"notification_id\":\"ntf_01hv8x29kz0t586xy6zn1a62ny\","
            + "\"data\":{\"id\":\"txn_01hv8wptq8987qeep44cyrewp9\",\"status\":\"completed\",\"items\":[";
        tail = "]}}";
      }
      default -> {
        head = "{\"type\":\"invoice.paid\",\"timestamp\":\"2024-04-12T10:18:49Z\",\"data\":{\"id\":\"" + eventId
            + "\",\"customer\":\"cus_PAbcDeFgHiJkLm\",\"items\":[";
        tail = "]}}";
      }
    }
    return fill(head, tail, size);
  }

  /** A body whose single interesting field {@code id} is first or last, around the same bulk. */
  public static byte[] jsonWithId(IdPosition position, int size, String eventId) {
    return position == IdPosition.FIRST
        ? fill("{\"id\":\"" + eventId + "\",\"type\":\"invoice.paid\",\"data\":{\"items\":[", "]}}", size)
        : fill("{\"data\":{\"items\":[", "]},\"type\":\"invoice.paid\",\"id\":\"" + eventId + "\"}", size);
  }

  private static byte[] fill(String head, String tail, int size) {
    StringBuilder b = new StringBuilder(size + 256).append(head);
    int item = 0;
    // Leave room for the closing padding item: {"note":"..."} plus tail.
    int reserve = tail.length() + 16;
    while (true) {
      String next = (item == 0 ? "" : ",") + item(item);
      if (b.length() + next.length() + reserve > size) {
        break;
      }
      b.append(next);
      item++;
    }
    String open = (item == 0 ? "" : ",") + "{\"note\":\"";
    String close = "\"}";
    int pad = size - b.length() - open.length() - close.length() - tail.length();
    if (pad < 0) {
      throw new IllegalArgumentException("size " + size + " is too small for this envelope");
    }
    b.append(open);
    for (int i = 0; i < pad; i++) {
      b.append((char) ('a' + (i % 26)));
    }
    b.append(close).append(tail);
    byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
    if (bytes.length != size) {
      throw new IllegalStateException("built " + bytes.length + " bytes, wanted " + size);
    }
    return bytes;
  }

  private static String item(int i) {
    return String.format(Locale.ROOT,
        "{\"id\":\"il_%08d\",\"object\":\"line_item\",\"amount\":%d,\"quantity\":%d,\"description\":"
            + "\"Pro plan \\u00d7 seat, monthly (%d)\",\"metadata\":{\"sku\":\"SKU-%05d\",\"region\":\"eu-west-1\"},"
            + "\"discountable\":true,\"tax_rates\":[]}",
        i, 1000 + i, 1 + i % 5, i, i);
  }

  /** A Twilio-style SMS status form body of exactly {@code size} bytes (the Body parameter is padded). */
  public static byte[] twilioForm(int size, String messageSid) {
    String head = "ToCountry=US&ToState=CA&SmsMessageSid=" + messageSid + "&NumMedia=0&ToCity=SAN+FRANCISCO"
        + "&FromZip=94105&SmsSid=" + messageSid + "&FromState=CA&SmsStatus=received&FromCity=SAN+FRANCISCO"
        + "&FromCountry=US&To=%2B14155550100&ToZip=94105&NumSegments=1&MessageSid=" + messageSid
        + "&AccountSid=AC0123456789abcdef0123456789abcdef&From=%2B14155550199&ApiVersion=2010-04-01&Body=";
    StringBuilder b = new StringBuilder(size).append(head);
    String words = "Hello+from+the+benchmark%2C+";
    while (b.length() + words.length() <= size) {
      b.append(words);
    }
    while (b.length() < size) {
      b.append('x');
    }
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
