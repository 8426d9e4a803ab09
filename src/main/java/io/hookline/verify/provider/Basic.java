package io.hookline.verify.provider;

import static io.hookline.verify.Signatures.base64;
import static io.hookline.verify.Signatures.utf8;

import io.hookline.verify.BasicAuthVerifier;
import io.hookline.verify.Provider;
import io.hookline.verify.SignedEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** HTTP Basic authentication, for senders that can do nothing else. */
public final class Basic {
  public static final Provider PROVIDER = Provider.named("basic")
      .docs("https://datatracker.ietf.org/doc/html/rfc7617")
      .scheme("`Authorization: Basic …`, constant-time compare")
      .secret("`user:password`")
      .eventId("as `hmac`")
      .note("`eventIdHeader`, `eventIdPointer`, `eventTypeHeader`, `eventTypePointer`")
      .verifier(BasicAuthVerifier::create)
      .sampleKeys(random -> new Provider.SampleKeys("hookline:" + Provider.HEX_SECRET.create(random).secret(), null))
      .signer(in -> {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Basic " + base64(utf8(in.secret())));
        GenericHmac.addConfiguredIdAndType(in, h);
        return SignedEvent.json(h, in.body());
      })
      .build();

  private Basic() {}
}
