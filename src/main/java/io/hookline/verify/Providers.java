package io.hookline.verify;

import io.hookline.config.ConfigException;
import io.hookline.verify.provider.ApiKey;
import io.hookline.verify.provider.Discord;
import io.hookline.verify.provider.SendGrid;
import io.hookline.verify.provider.Zoom;
import io.hookline.verify.provider.Twitch;
import io.hookline.verify.provider.Meta;
import io.hookline.verify.provider.Dropbox;
import io.hookline.verify.provider.Twitter;
import io.hookline.verify.provider.MsGraph;
import io.hookline.verify.provider.Okta;
import io.hookline.verify.provider.Mailgun;
import io.hookline.verify.provider.HubSpot;
import io.hookline.verify.provider.Square;
import io.hookline.verify.provider.WooCommerce;
import io.hookline.verify.provider.Basic;
import io.hookline.verify.provider.Bitbucket;
import io.hookline.verify.provider.Box;
import io.hookline.verify.provider.Calendly;
import io.hookline.verify.provider.Clerk;
import io.hookline.verify.provider.Coinbase;
import io.hookline.verify.provider.DocuSign;
import io.hookline.verify.provider.GenericHmac;
import io.hookline.verify.provider.GitHub;
import io.hookline.verify.provider.GitLab;
import io.hookline.verify.provider.Gitea;
import io.hookline.verify.provider.Intercom;
import io.hookline.verify.provider.LemonSqueezy;
import io.hookline.verify.provider.Linear;
import io.hookline.verify.provider.Mux;
import io.hookline.verify.provider.Paddle;
import io.hookline.verify.provider.PagerDuty;
import io.hookline.verify.provider.Razorpay;
import io.hookline.verify.provider.Resend;
import io.hookline.verify.provider.Sentry;
import io.hookline.verify.provider.Shopify;
import io.hookline.verify.provider.Slack;
import io.hookline.verify.provider.StandardWebhooks;
import io.hookline.verify.provider.Stripe;
import io.hookline.verify.provider.Svix;
import io.hookline.verify.provider.Twilio;
import io.hookline.verify.provider.Typeform;
import io.hookline.verify.provider.Vercel;
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
 * it. To add a provider see {@link Provider}: one file in {@code verify/provider/} and one line here.
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

  static List<String> sortedNames() {
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
