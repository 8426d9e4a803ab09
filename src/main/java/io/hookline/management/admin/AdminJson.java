package io.hookline.management.admin;

import io.hookline.store.DeliveryStatus;
import io.hookline.store.EventSearch.Attempt;
import io.hookline.store.EventSearch.DeliverySummary;
import io.hookline.store.EventSearch.Detail;
import io.hookline.store.EventSearch.EventSummary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;

/** The admin API's JSON shapes (SPEC "Admin API"): event summary, detail and attempt history. */
final class AdminJson {
  private AdminJson() {}

  static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }

  static JsonObject summary(EventSummary e) {
    JsonArray deliveries = new JsonArray();
    for (DeliverySummary d : e.deliveries()) {
      deliveries.add(delivery(d));
    }
    return new JsonObject().put("id", e.id().toString()).put("source", e.sourceId())
        .put("providerEventId", e.providerEventId()).put("type", e.eventType()).put("receivedAt", time(e.receivedAt()))
        .put("deliveries", deliveries);
  }

  private static JsonObject delivery(DeliverySummary d) {
    // next_attempt_at is left as it was when a delivery finished: only meaningful while pending.
    return new JsonObject().put("destination", d.destinationId()).put("status", d.status())
        .put("attempts", d.attempts()).put("lastStatus", d.lastStatus())
        .put("nextAttemptAt", DeliveryStatus.PENDING.is(d.status()) ? time(d.nextAttemptAt()) : null)
        .put("round", d.round()).put("lastError", d.lastError()).put("updatedAt", time(d.updatedAt()));
  }

  static JsonObject detail(Detail d) {
    JsonObject out = summary(d.summary());
    byte[] body = d.body().getBytes();
    out.put("contentType", d.contentType())
        .put("headers", new JsonArray(d.headersJson()))
        .put("bodyBase64", Base64.getEncoder().encodeToString(body))
        .put("body", utf8OrNull(body));
    JsonArray deliveries = out.getJsonArray("deliveries");
    for (int i = 0; i < deliveries.size(); i++) {
      JsonObject delivery = deliveries.getJsonObject(i);
      JsonArray history = new JsonArray();
      for (Attempt a : d.attemptsByDestination().getOrDefault(delivery.getString("destination"), List.of())) {
        history.add(new JsonObject().put("round", a.round()).put("attempt", a.attempt()).put("node", a.nodeId())
            .put("startedAt", time(a.startedAt())).put("finishedAt", time(a.finishedAt()))
            .put("statusCode", a.statusCode()).put("latencyMs", a.latencyMs()).put("outcome", a.outcome())
            .put("error", a.error()));
      }
      delivery.put("history", history);
    }
    return out;
  }

  static String utf8OrNull(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
