package io.hookline.verify;

import io.hookline.config.Secret;
import java.util.List;

/**
 * Builds the verifiers of issue 18's asymmetric, handshake and unusual schemes from a source's
 * checked secrets, options and tolerance; each provider's declaration calls one of these.
 * Options are read strictly (unknown keys are errors naming the field).
 */
final class SchemeFactories {
  private SchemeFactories() {}

  static SignatureVerifier discord(List<Secret> secrets, ProviderOptions options, long toleranceMillis, String path) {
    options.allowOnly();
    return DiscordSignatureVerifier.create(secrets, toleranceMillis, path);
  }

  static SignatureVerifier sendgrid(List<Secret> secrets, ProviderOptions options, long toleranceMillis, String path) {
    options.allowOnly();
    return SendGridSignatureVerifier.create(secrets, toleranceMillis, path);
  }

  static SignatureVerifier zoom(List<Secret> secrets, ProviderOptions options, long toleranceMillis, String path) {
    options.allowOnly();
    return new ZoomSignatureVerifier(SchemeParts.rawHmacKeys(secrets, "HmacSHA256", path), toleranceMillis);
  }

  /** {@code toleranceMillis} null: Twitch's documented 10 minutes. */
  static SignatureVerifier twitch(List<Secret> secrets, ProviderOptions options, Long toleranceMillis, String path) {
    options.allowOnly();
    return new TwitchSignatureVerifier(SchemeParts.rawHmacKeys(secrets, "HmacSHA256", path),
        toleranceMillis == null ? TwitchSignatureVerifier.DEFAULT_TOLERANCE_MILLIS : toleranceMillis);
  }

  static SignatureVerifier meta(List<Secret> secrets, ProviderOptions options, String path) {
    options.allowOnly("verifyToken");
    return new MetaSignatureVerifier(SchemeParts.rawHmacKeys(secrets, "HmacSHA256", path),
        options.nonEmptyString("verifyToken", null));
  }

  static SignatureVerifier dropbox(List<Secret> secrets, ProviderOptions options, String path) {
    options.allowOnly();
    return new DropboxSignatureVerifier(SchemeParts.rawHmacKeys(secrets, "HmacSHA256", path));
  }

  static SignatureVerifier twitter(List<Secret> secrets, ProviderOptions options, String path) {
    options.allowOnly();
    return new TwitterSignatureVerifier(SchemeParts.rawHmacKeys(secrets, "HmacSHA256", path));
  }

  static SignatureVerifier msgraph(List<Secret> secrets, ProviderOptions options) {
    options.allowOnly();
    return new MsGraphVerifier(secrets);
  }

  static SignatureVerifier okta(List<Secret> secrets, ProviderOptions options) {
    options.allowOnly();
    return new OktaVerifier(secrets);
  }

  static SignatureVerifier mailgun(List<Secret> secrets, ProviderOptions options, long toleranceMillis, String path) {
    options.allowOnly();
    return new MailgunSignatureVerifier(SchemeParts.rawHmacKeys(secrets, "HmacSHA256", path), toleranceMillis);
  }

  static SignatureVerifier hubspot(List<Secret> secrets, ProviderOptions options, long toleranceMillis, String path) {
    options.allowOnly();
    return new HubSpotSignatureVerifier(SchemeParts.rawHmacKeys(secrets, "HmacSHA256", path), toleranceMillis);
  }

  static SignatureVerifier square(List<Secret> secrets, ProviderOptions options, String path) {
    options.allowOnly("notificationUrl");
    String url = options.nonEmptyString("notificationUrl", null);
    if (url != null && !(url.startsWith("https://") || url.startsWith("http://"))) {
      throw new io.hookline.config.ConfigException(options.path("notificationUrl"),
          "must be the absolute http(s) URL registered with Square");
    }
    return new SquareSignatureVerifier(SchemeParts.rawHmacKeys(secrets, "HmacSHA256", path), url);
  }

  static SignatureVerifier woocommerce(List<Secret> secrets, ProviderOptions options, String path) {
    options.allowOnly();
    return new WooCommerceSignatureVerifier(SchemeParts.rawHmacKeys(secrets, "HmacSHA256", path));
  }
}
