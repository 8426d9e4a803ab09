package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.base64;
import static io.hookline.verify.Signatures.hmacSha256;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.EventField;
import io.hookline.verify.HmacScheme;
import io.hookline.verify.Provider;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Box: {@code BOX-SIGNATURE-PRIMARY} / {@code BOX-SIGNATURE-SECONDARY}, base64 HMAC-SHA256 of the
 * body followed by {@code BOX-DELIVERY-TIMESTAMP} (RFC 3339). Box's primary and secondary keys are
 * the source's secrets; either signature matching either key is enough. {@code BOX-DELIVERY-ID}
 * changes on every retry, so the dedup key is the body's {@code id}, which does not.
 */
public final class Box {
  static final HmacScheme.Spec SCHEME = HmacScheme.sha256().headers("BOX-SIGNATURE-PRIMARY", "BOX-SIGNATURE-SECONDARY").base64()
      .signs(HmacScheme.Body.INSTANCE, HmacScheme.TimestampValue.INSTANCE)
      .timestampHeader("BOX-DELIVERY-TIMESTAMP", HmacScheme.TimestampFormat.RFC3339)
      .events(EventField.body("/id"), EventField.body("/trigger"));

  public static final Provider PROVIDER = Declared.hmac("box", SCHEME)
      .docs("https://developer.box.com/guides/webhooks/v2/signatures-v2/")
      .scheme("`BOX-SIGNATURE-PRIMARY` / `-SECONDARY`: base64 HMAC-SHA256 of body + `BOX-DELIVERY-TIMESTAMP` (RFC 3339); tolerance")
      .secret("primary and/or secondary signature key")
      .note("docs: `BOX-DELIVERY-ID` changes on retries, so the body `id` is the key (SPEC: the header);"
          + " replay window 10 min unless `toleranceSeconds` is set (Box's)")
      .defaultTolerance(Duration.ofMinutes(10))
      .sampleBody((id, now) -> Bodies.json("{\"type\":\"webhook_event\",\"id\":" + Bodies.quoted(id)
          + ",\"trigger\":\"FILE.UPLOADED\",\"source\":{\"type\":\"file\",\"id\":\"1\"}}"))
      .signer(in -> {
        String ts = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.ofEpochSecond(in.nowSeconds()).atOffset(ZoneOffset.UTC));
        return Declared.json(in.body(), "BOX-DELIVERY-ID", java.util.UUID.randomUUID().toString(),
            "BOX-DELIVERY-TIMESTAMP", ts, "BOX-SIGNATURE-PRIMARY", base64(hmacSha256(in.secret(), in.body(), utf8(ts))),
            "BOX-SIGNATURE-VERSION", "1", "BOX-SIGNATURE-ALGORITHM", "HmacSHA256");
      })
      .build();

  private Box() {}
}
