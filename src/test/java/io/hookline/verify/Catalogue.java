package io.hookline.verify;

import io.hookline.config.Secret;
import java.util.List;
import java.util.Map;

/** Builds a catalogue provider's verifier for tests the way a source's config does. */
final class Catalogue {
  private Catalogue() {}

  static SignatureVerifier build(String provider, List<Secret> secrets, Map<String, Object> rawOptions) {
    String path = "sources[0]";
    ProviderOptions options = new ProviderOptions(rawOptions, path + "." + provider);
    long tolerance = Verifiers.DEFAULT_TOLERANCE.toMillis();
    return switch (provider) {
      case "discord" -> SchemeFactories.discord(secrets, options, tolerance, path);
      case "sendgrid" -> SchemeFactories.sendgrid(secrets, options, tolerance, path);
      case "zoom" -> SchemeFactories.zoom(secrets, options, tolerance, path);
      case "twitch" -> SchemeFactories.twitch(secrets, options, null, path);
      case "meta" -> SchemeFactories.meta(secrets, options, path);
      case "dropbox" -> SchemeFactories.dropbox(secrets, options, path);
      case "twitter" -> SchemeFactories.twitter(secrets, options, path);
      case "msgraph" -> SchemeFactories.msgraph(secrets, options);
      case "okta" -> SchemeFactories.okta(secrets, options);
      case "mailgun" -> SchemeFactories.mailgun(secrets, options, tolerance, path);
      case "hubspot" -> SchemeFactories.hubspot(secrets, options, tolerance, path);
      case "square" -> SchemeFactories.square(secrets, options, path);
      case "woocommerce" -> SchemeFactories.woocommerce(secrets, options, path);
      default -> Verifiers.create(Signing.specWithSecrets(provider, secrets));
    };
  }

  static Verification answerGet(SignatureVerifier verifier, WebhookRequest request) {
    if (verifier instanceof MetaSignatureVerifier v) {
      return v.answerGet(request);
    } else if (verifier instanceof DropboxSignatureVerifier v) {
      return v.answerGet(request);
    } else if (verifier instanceof TwitterSignatureVerifier v) {
      return v.answerGet(request);
    } else if (verifier instanceof OktaVerifier v) {
      return v.answerGet(request);
    }
    throw new AssertionError("no GET handshake: " + verifier);
  }
}
