package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmacSha256;

import io.hookline.verify.EventField;
import io.hookline.verify.HmacScheme;
import io.hookline.verify.Provider;

/** Sentry integrations: {@code Sentry-Hook-Signature}, hex HMAC-SHA256 of the body with the client secret. */
public final class Sentry {
  static final HmacScheme.Spec SCHEME = HmacScheme.sha256().headers("Sentry-Hook-Signature")
      .events(EventField.header("Request-ID"), EventField.header("Sentry-Hook-Resource"));

  public static final Provider PROVIDER = Declared.hmac("sentry", SCHEME)
      .docs("https://docs.sentry.io/organization/integrations/integration-platform/webhooks/")
      .scheme("`Sentry-Hook-Signature`: hex HMAC-SHA256 of the body")
      .secret("integration client secret")
      .note("`Sentry-Hook-Timestamp` is not signed, so there is no replay window")
      .signer(in -> Declared.json(in.body(), "Sentry-Hook-Signature", hex(hmacSha256(in.secret(), in.body())),
          "Request-ID", in.eventId(), "Sentry-Hook-Resource", "issue", "Sentry-Hook-Timestamp", Long.toString(in.nowSeconds())))
      .build();

  private Sentry() {}
}
