package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.base64;
import static io.hookline.verify.Signatures.hex;
import static io.hookline.verify.Signatures.hmac;
import static io.hookline.verify.Signatures.sha256;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.Provider;
import io.hookline.verify.SignedEvent;
import io.hookline.verify.TwilioSignatureVerifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Twilio: {@code X-Twilio-Signature}, base64 HMAC-SHA1 of the public URL (+ sorted form parameters)
 * with the auth token, or, announced by {@code X-Twilio-Webhooks-Signature-Settings}, the same string
 * signed with a SharedKey secret (HMAC-SHA256 or HMAC-SHA1, as the header names).
 */
public final class Twilio {
  public static final Provider PROVIDER = Provider.named("twilio")
      .docs("https://www.twilio.com/docs/usage/webhooks/webhooks-security")
      .scheme("`X-Twilio-Signature`: base64 HMAC-SHA1 over the public URL + sorted form parameters;"
          + " JSON bodies via the URL's `bodySHA256`; SharedKey signing: the same string, HMAC-SHA256 (or the"
          + " algorithm `X-Twilio-Webhooks-Signature-Settings` names)")
      .secret("auth token; a SharedKey secret written `sharedkey:<secret>`")
      .eventId("`I-Twilio-Idempotency-Token`, else `MessageSid`/`CallSid`")
      .eventType("body `type` (JSON)")
      .note("set `http.trustedProxies` behind a load balancer; with `X-Twilio-Webhooks-Signature-Settings` only"
          + " `sharedkey:` secrets are tried, without it only auth tokens (as twilio-node does)"
          + " ([SharedKey docs](https://www.twilio.com/docs/usage/webhooks/webhook-shared-keys))")
      .verifier(TwilioSignatureVerifier::create)
      .signer(in -> {
        if (in.url() == null) {
          throw new IllegalArgumentException("twilio signs the URL the event is posted to; none was given");
        }
        // A JSON body is signed through the URL: Twilio appends bodySHA256 and signs the whole URL.
        String url = in.url() + (in.url().indexOf('?') < 0 ? '?' : '&') + "bodySHA256=" + hex(sha256(in.body()));
        Map<String, String> h = new LinkedHashMap<>();
        if (in.secret().startsWith(TwilioSignatureVerifier.SHARED_KEY_PREFIX)) {
          String key = in.secret().substring(TwilioSignatureVerifier.SHARED_KEY_PREFIX.length());
          h.put("X-Twilio-Signature", base64(hmac("HmacSHA256", utf8(key), utf8(url))));
          h.put("X-Twilio-Webhooks-Signature-Settings", "key=webhooks_sharedkey_hooklinesend,algorithm=HMAC_SHA256");
        } else {
          h.put("X-Twilio-Signature", base64(hmac("HmacSHA1", utf8(in.secret()), utf8(url))));
        }
        h.put("I-Twilio-Idempotency-Token", in.eventId());
        return new SignedEvent(h, in.body(), "application/json", url);
      })
      .build();

  private Twilio() {}
}
