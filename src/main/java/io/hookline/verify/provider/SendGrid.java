package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.Provider;
import io.hookline.verify.SchemeFactories;

/** SendGrid signed event webhook: ECDSA P-256 over timestamp + body. */
public final class SendGrid {
  public static final Provider PROVIDER = Provider.named("sendgrid")
      .docs("https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features")
      .scheme("`X-Twilio-Email-Event-Webhook-Signature`: base64 DER ECDSA P-256/SHA-256 of `…-Timestamp` + body; tolerance")
      .secret("verification key (base64 DER public key, PEM armour allowed), checked at start-up")
      .eventId("SHA-256 of the body")
      .eventType("`sendgrid.events`")
      .note("`send` cannot sign (the source holds the public key only): use the provider's own test tools")
      .sampleBody((id, now) -> utf8("[{\"email\":\"a@example.com\",\"event\":\"delivered\",\"sg_event_id\":" + Bodies.quoted(id)
          + ",\"timestamp\":" + now + "}]\r\n"))
      .verifier(SchemeFactories::sendgrid)
      .signer(in -> {
        throw new IllegalArgumentException("cannot sign: SendGrid signs with its private key, which only SendGrid holds (the source has the public key)");
      })
      .build();

  private SendGrid() {}
}
