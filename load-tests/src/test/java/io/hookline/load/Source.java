package io.hookline.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One Hookline source the load is sent to: its id (URL segment), provider and signing secret.
 *
 * <p>{@code -Dsources=id:provider[:secret],...}; a secret left out is read from the environment
 * variable {@code HOOKLINE_LOAD_SECRET_<ID>} (id upper-cased, non-alphanumerics as {@code _}), else
 * the development default that {@code run-local.sh} configures. The generic {@code hmac} provider
 * is signed as {@code X-Signature: sha256=<hex HMAC-SHA256 of the body>} with the id in
 * {@code X-Event-Id}; configure the source that way.
 */
public record Source(String id, String provider, String secret) {
  public static final String DEFAULT_SOURCES =
      "stripe:stripe,github:github,standard:standard,shopify:shopify,slack:slack,paddle:paddle,hmac:hmac,twilio:twilio";

  public boolean signsTimestamp() {
    return Signer.signsTimestamp(provider);
  }

  public static List<Source> fromParams() {
    return parse(Params.string("sources", DEFAULT_SOURCES));
  }

  static List<Source> parse(String spec) {
    List<Source> sources = new ArrayList<>();
    for (String item : spec.split(",")) {
      item = item.trim();
      if (item.isEmpty()) {
        continue;
      }
      String[] parts = item.split(":", 3);
      if (parts.length < 2) {
        throw new IllegalArgumentException("sources: '" + item + "' is not id:provider[:secret]");
      }
      String provider = parts[1].toLowerCase(Locale.ROOT);
      if (!Signer.PROVIDERS.contains(provider)) {
        throw new IllegalArgumentException("sources: provider '" + provider + "' is not one the simulations can sign "
            + Signer.PROVIDERS);
      }
      String secret = parts.length == 3 ? parts[2] : null;
      if (secret == null) {
        secret = System.getenv("HOOKLINE_LOAD_SECRET_" + parts[0].toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
      }
      if (secret == null) {
        secret = Signer.defaultSecret(provider);
      }
      sources.add(new Source(parts[0], provider, secret));
    }
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("sources: at least one source is needed");
    }
    return sources;
  }
}
