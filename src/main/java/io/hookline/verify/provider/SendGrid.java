package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.base64;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.Provider;
import io.hookline.verify.SchemeFactories;
import io.hookline.verify.SignedEvent;
import io.hookline.verify.SigningKeys;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Map;

/** SendGrid signed event webhook: ECDSA P-256 over timestamp + body. */
public final class SendGrid {
  public static final Provider PROVIDER = Provider.named("sendgrid")
      .docs("https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features")
      .scheme("`X-Twilio-Email-Event-Webhook-Signature`: base64 DER ECDSA P-256/SHA-256 of `…-Timestamp` + body; tolerance")
      .secret("verification key (base64 DER public key, PEM armour allowed), checked at start-up")
      .eventId("SHA-256 of the body")
      .eventType("`sendgrid.events`")
      .note("`send` signs only with the private key: `hookline send --private-key FILE` (PKCS#8 PEM)")
      .sampleBody((id, now) -> utf8("[{\"email\":\"a@example.com\",\"event\":\"delivered\",\"sg_event_id\":" + Bodies.quoted(id)
          + ",\"timestamp\":" + now + "}]\r\n"))
      .sampleKeys(random -> {
        KeyPair keys = SigningKeys.generate("EC", random);
        return new Provider.SampleKeys(base64(keys.getPublic().getEncoded()), keys.getPrivate());
      })
      .verifier(SchemeFactories::sendgrid)
      .signer(in -> {
        PrivateKey key = SigningKeys.p256(in.privateKey(), "sendgrid");
        String ts = Long.toString(in.nowSeconds());
        return SignedEvent.json(Map.of(
            "X-Twilio-Email-Event-Webhook-Signature", base64(SigningKeys.sign("SHA256withECDSA", key, utf8(ts), in.body())),
            "X-Twilio-Email-Event-Webhook-Timestamp", ts), in.body());
      })
      .build();

  private SendGrid() {}
}
