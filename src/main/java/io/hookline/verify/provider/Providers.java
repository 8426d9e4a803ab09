package io.hookline.verify.provider;

import io.hookline.config.ConfigException;
import io.hookline.verify.Provider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The provider registry: every {@link Provider} declaration, by name. Config validation, the
 * verifier factory ({@link Verifiers}), {@code send}, {@code check-config}, the README provider
 * table ({@link #markdownTable()}, kept equal by ProviderTableTest) and the catalogue tests all read
 * it. To add a provider see {@link Provider}: one file in this package and one line here. It sits above
 * {@code verify} (which holds the schemes), so the registry's list never makes a package cycle.
 */
public final class Providers {
  private static final Map<String, Provider> BY_NAME = index(List.of(
      Stripe.PROVIDER,
      GitHub.PROVIDER,
      StandardWebhooks.PROVIDER,
      Shopify.PROVIDER,
      Slack.PROVIDER,
      Twilio.PROVIDER,
      Paddle.PROVIDER,
      GenericHmac.PROVIDER,
      Basic.PROVIDER,
      ApiKey.PROVIDER,
      Svix.PROVIDER,
      Clerk.PROVIDER,
      Resend.PROVIDER,
      GitLab.PROVIDER,
      Bitbucket.PROVIDER,
      Gitea.PROVIDER,
      Linear.PROVIDER,
      Intercom.PROVIDER,
      Typeform.PROVIDER,
      Calendly.PROVIDER,
      Razorpay.PROVIDER,
      Sentry.PROVIDER,
      Vercel.PROVIDER,
      PagerDuty.PROVIDER,
      Mux.PROVIDER,
      LemonSqueezy.PROVIDER,
      Coinbase.PROVIDER,
      Box.PROVIDER,
      DocuSign.PROVIDER,
      Discord.PROVIDER,
      SendGrid.PROVIDER,
      Zoom.PROVIDER,
      Twitch.PROVIDER,
      Meta.PROVIDER,
      Dropbox.PROVIDER,
      Twitter.PROVIDER,
      MsGraph.PROVIDER,
      Okta.PROVIDER,
      Mailgun.PROVIDER,
      HubSpot.PROVIDER,
      Square.PROVIDER,
      WooCommerce.PROVIDER));

  private Providers() {}

  private static Map<String, Provider> index(List<Provider> providers) {
    Map<String, Provider> byName = new LinkedHashMap<>();
    for (Provider p : providers) {
      if (!p.name().equals(p.name().toLowerCase(Locale.ROOT)) || byName.put(p.name(), p) != null) {
        throw new IllegalStateException("provider declared twice or not lower-case: " + p.name());
      }
    }
    return Collections.unmodifiableMap(byName);
  }

  /** Every provider, in declaration order. */
  public static List<Provider> all() {
    return List.copyOf(BY_NAME.values());
  }

  public static Set<String> names() {
    return BY_NAME.keySet();
  }

  /** The provider of this name (case-insensitive, trimmed), or null. */
  public static Provider find(String name) {
    return name == null ? null : BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
  }

  /** The provider of this name, else a {@link ConfigException} on {@code field} listing the known ones. */
  public static Provider require(String name, String field) {
    Provider provider = find(name);
    if (provider == null) {
      String given = name == null ? "" : name.trim();
      throw new ConfigException(field, (given.isEmpty() ? "is required" : "unknown provider '" + given + "'")
          + " (expected one of " + String.join(", ", sortedNames()) + ")");
    }
    return provider;
  }

  public static List<String> sortedNames() {
    List<String> names = new ArrayList<>(BY_NAME.keySet());
    Collections.sort(names);
    return names;
  }

  /** The provider table of docs/providers.md (ProviderTableTest keeps it equal; in-page links lose their path). */
  public static String markdownTable() {
    StringBuilder b = new StringBuilder();
    b.append("| `provider` | signature | secret (`secrets:`) | event id (dedup key) / type | handshake | notes |\n");
    b.append("|---|---|---|---|---|---|\n");
    for (Provider p : BY_NAME.values()) {
      b.append("| [`").append(p.name()).append("`](").append(p.docs().replace("docs/providers.md#", "#")).append(") | ")
          .append(cell(p.scheme())).append(" | ")
          .append(cell(p.secret())).append(" | ")
          .append(cell(p.eventId())).append(p.eventType().isEmpty() ? "" : " / " + cell(p.eventType())).append(" | ")
          .append(cell(p.handshake())).append(" | ")
          .append(cell(p.note())).append(" |\n");
    }
    return b.toString();
  }

  private static String cell(String markdown) {
    return markdown.replace("\n", " ").replace("|", "\\|");
  }
}
