package io.hookline.verify;

/**
 * Builds the verifiers of issue 18's asymmetric, handshake and unusual schemes from a source's
 * checked secrets, options and tolerance; each provider's declaration calls one of these.
 * Options are read strictly (unknown keys are errors naming the field).
 */
public final class SchemeFactories {
  private SchemeFactories() {}

  public static SignatureVerifier discord(ProviderSetup setup) {
    setup.options().allowOnly();
    return DiscordSignatureVerifier.create(setup);
  }

  public static SignatureVerifier sendgrid(ProviderSetup setup) {
    setup.options().allowOnly();
    return SendGridSignatureVerifier.create(setup);
  }

  public static SignatureVerifier zoom(ProviderSetup setup) {
    setup.options().allowOnly();
    return new ZoomSignatureVerifier(sha256Keys(setup), setup.toleranceMillis());
  }

  public static SignatureVerifier twitch(ProviderSetup setup) {
    setup.options().allowOnly();
    return new TwitchSignatureVerifier(sha256Keys(setup), setup.toleranceMillis());
  }

  public static SignatureVerifier meta(ProviderSetup setup) {
    setup.options().allowOnly("verifyToken");
    return new MetaSignatureVerifier(sha256Keys(setup),
        setup.options().nonEmptyString("verifyToken", null));
  }

  public static SignatureVerifier dropbox(ProviderSetup setup) {
    setup.options().allowOnly();
    return new DropboxSignatureVerifier(sha256Keys(setup));
  }

  public static SignatureVerifier twitter(ProviderSetup setup) {
    setup.options().allowOnly();
    return new TwitterSignatureVerifier(sha256Keys(setup));
  }

  public static SignatureVerifier msgraph(ProviderSetup setup) {
    setup.options().allowOnly();
    return new MsGraphVerifier(setup.secrets());
  }

  public static SignatureVerifier okta(ProviderSetup setup) {
    setup.options().allowOnly();
    return new OktaVerifier(setup.secrets());
  }

  public static SignatureVerifier mailgun(ProviderSetup setup) {
    setup.options().allowOnly();
    return new MailgunSignatureVerifier(sha256Keys(setup), setup.toleranceMillis());
  }

  public static SignatureVerifier hubspot(ProviderSetup setup) {
    setup.options().allowOnly();
    return new HubSpotSignatureVerifier(sha256Keys(setup), setup.toleranceMillis());
  }

  public static SignatureVerifier square(ProviderSetup setup) {
    setup.options().allowOnly("notificationUrl");
    String url = setup.options().nonEmptyString("notificationUrl", null);
    if (url != null && !(url.startsWith("https://") || url.startsWith("http://"))) {
      throw new io.hookline.config.ConfigException(setup.options().path("notificationUrl"),
          "must be the absolute http(s) URL registered with Square");
    }
    return new SquareSignatureVerifier(sha256Keys(setup), url);
  }

  public static SignatureVerifier woocommerce(ProviderSetup setup) {
    setup.options().allowOnly();
    return new WooCommerceSignatureVerifier(sha256Keys(setup));
  }

  private static HmacKey[] sha256Keys(ProviderSetup setup) {
    return setup.rawHmacKeys("HmacSHA256").toArray(new HmacKey[0]);
  }
}
