package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.base64;
import static io.hookline.verify.Signatures.hmacSha256;

import io.hookline.verify.EventField;
import io.hookline.verify.HmacScheme;
import io.hookline.verify.Provider;

/**
 * DocuSign Connect: {@code X-DocuSign-Signature-1..n}, base64 HMAC-SHA256 of the body, one per
 * Connect HMAC key; any of them matching any secret is enough. Connect sends no delivery id that
 * survives retries (the body's {@code retryCount} changes, so its hash does too): the key is the
 * envelope id and {@code generatedDateTime} joined.
 */
public final class DocuSign {
  static final HmacScheme.Spec SCHEME = HmacScheme.sha256().numberedHeaders("X-DocuSign-Signature-").base64()
      .events(EventField.joined('@', "/data/envelopeId", "/generatedDateTime"), EventField.body("/event"));

  public static final Provider PROVIDER = Declared.hmac("docusign", SCHEME)
      .docs("https://developers.docusign.com/platform/webhooks/connect/validate/")
      .scheme("`X-DocuSign-Signature-1..n`: base64 HMAC-SHA256 of the body; any may match")
      .secret("Connect HMAC key")
      .note("the key is `<envelopeId>@<generatedDateTime>` as sent (SPEC: hashed; hashed only when over 256 characters)")
      .sampleBody((id, now) -> Bodies.json("{\"event\":\"envelope-completed\",\"apiVersion\":\"v2.1\",\"retryCount\":0,"
          + "\"generatedDateTime\":\"" + java.time.Instant.ofEpochSecond(now) + "\",\"data\":{\"envelopeId\":" + Bodies.quoted(id) + "}}"))
      .signer(in -> Declared.json(in.body(), "X-DocuSign-Signature-1", base64(hmacSha256(in.secret(), in.body()))))
      .build();

  private DocuSign() {}
}
