package io.hookline.verify.provider;

import io.hookline.verify.ApiKeyVerifier;
import io.hookline.verify.Provider;
import io.hookline.verify.SignedEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A shared key in a header or a query parameter. */
public final class ApiKey {
  public static final Provider PROVIDER = Provider.named("apikey")
      .docs("https://swagger.io/docs/specification/v3_0/authentication/api-keys/")
      .scheme("a key in a header (after an optional prefix) or a query parameter, constant-time compare")
      .secret("the key")
      .eventId("as `hmac`")
      .note("`header` or `query`, `prefix`; event id/type options as `hmac`")
      .verifier(ApiKeyVerifier::create)
      .signer(in -> {
        Map<String, String> h = new LinkedHashMap<>();
        GenericHmac.addConfiguredIdAndType(in, h);
        String query = in.option("query", null);
        if (query != null) {
          if (in.url() == null) {
            throw new IllegalArgumentException("apikey with 'query' puts the key in the URL; none was given");
          }
          String url = in.url() + (in.url().indexOf('?') < 0 ? '?' : '&')
              + URLEncoder.encode(query, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(in.secret(), StandardCharsets.UTF_8);
          return new SignedEvent(h, in.body(), "application/json", url);
        }
        h.put(in.option("header", "Authorization"), in.option("prefix", "") + in.secret());
        return SignedEvent.json(h, in.body());
      })
      .build();

  private ApiKey() {}
}
