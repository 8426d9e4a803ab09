package io.hookline.verify.provider;

import io.hookline.verify.HmacScheme;
import io.hookline.verify.Provider;
import io.hookline.verify.SignedEvent;
import io.hookline.verify.TimestampedScheme;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parts of a declaration that follow from a declared scheme: its verifier and its id/type cells. */
final class Declared {
  private Declared() {}

  /** A provider verified by a fixed {@link HmacScheme} (secrets used as-is, no options). */
  static Provider.Builder hmac(String name, HmacScheme.Spec spec) {
    return Provider.named(name)
        .verifier(spec::create)
        .eventId(spec.events().id().describe())
        .eventType(spec.events().type().describe());
  }

  /** A provider verified by a {@link TimestampedScheme} layout (secrets used as-is, no options). */
  static Provider.Builder timestamped(String name, TimestampedScheme.Layout layout, io.hookline.verify.EventFields events) {
    return Provider.named(name)
        .verifier(setup -> {
          setup.options().allowOnly();
          return new TimestampedScheme(layout, setup.rawHmacKeys("HmacSHA256"), setup.toleranceMillis(), events);
        })
        .eventId(events.id().describe())
        .eventType(events.type().describe());
  }

  /** Headers in the given order, then the JSON body unchanged: {@code headers("A", "1", "B", "2")}. */
  static SignedEvent json(byte[] body, String... namesAndValues) {
    Map<String, String> h = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      h.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return SignedEvent.json(h, body);
  }
}
