package io.hookline.bench;

import io.hookline.config.Secret;
import io.hookline.verify.Provider;
import io.hookline.verify.provider.Providers;
import io.hookline.verify.SendInput;
import io.hookline.verify.SignatureVerifier;
import io.hookline.verify.SignedEvent;
import io.hookline.verify.Verification;
import io.hookline.verify.VerifierSpec;
import io.hookline.verify.provider.Verifiers;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One scheme, configured the way a source would be, with one request signed the way the provider
 * signs it. {@link #floorAlgorithm} is the primitive the scheme is built on, for the floor benchmark.
 */
public final class Fixture {
  /**
   * The schemes measured (JMH {@code @Param} values of {@link VerifyBenchmark}): every registry provider
   * (standard twice: HMAC and Ed25519). The ten first ones have hand-made fixtures in a realistic
   * body shape; every other registry provider is built from its declaration ({@link #fromRegistry}).
   */
  public static final String[] SCHEMES = {
      "stripe", "github", "standard-v1", "standard-v1a", "shopify", "slack", "paddle", "hmac", "twilio", "basic", "apikey",
      "svix", "clerk", "resend", "gitlab", "bitbucket", "gitea", "linear", "intercom", "typeform", "calendly", "razorpay",
      "sentry", "vercel", "pagerduty", "mux", "lemonsqueezy", "coinbase", "box", "docusign", "discord", "sendgrid", "zoom",
      "twitch", "meta", "dropbox", "twitter", "msgraph", "okta", "mailgun", "hubspot", "square", "woocommerce"};

  public static final String STRIPE_SECRET = "whsec_benchmarkStripeSecret0123456789";
  public static final String PLAIN_SECRET = "benchmark-shared-secret-0123456789abcdef";
  /** Standard Webhooks secret: whsec_ + base64 of 32 random-looking bytes. */
  public static final String STANDARD_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  public static final String TWILIO_URL = "https://hooks.example.com/webhooks/twilio";

  public final String scheme;
  public final SignatureVerifier verifier;
  public final BenchRequest request;
  public final String floorAlgorithm;
  public final byte[] floorKey;
  public final String eventId;

  private Fixture(String scheme, SignatureVerifier verifier, BenchRequest request, String floorAlgorithm,
                  byte[] floorKey, String eventId) {
    this.scheme = scheme;
    this.verifier = verifier;
    this.request = request;
    this.floorAlgorithm = floorAlgorithm;
    this.floorKey = floorKey;
    this.eventId = eventId;
  }

  /** Token schemes compare a secret sent as-is: no MAC, so the 1.3× HMAC target does not apply. */
  public static boolean isToken(String scheme) {
    return scheme.equals("basic") || scheme.equals("apikey") || scheme.equals("gitlab") || scheme.equals("okta")
        || scheme.equals("msgraph");
  }

  /** Which floor a scheme is compared with. */
  public static String floorFor(String scheme) {
    return switch (scheme) {
      case "twilio", "intercom", "vercel" -> "HmacSHA1";
      case "standard-v1a", "discord" -> "Ed25519";
      case "sendgrid" -> "SHA256withECDSA";
      default -> "HmacSHA256";
    };
  }

  public static Fixture create(String scheme, int size, long nowMillis) {
    long ts = nowMillis / 1000;
    String tsText = Long.toString(ts);
    Map<String, String> h = new LinkedHashMap<>();
    String contentType = "application/json";
    String eventId;
    byte[] body;
    String provider;
    String secret;
    Map<String, Object> options = Map.of();
    byte[] plainKey = PLAIN_SECRET.getBytes(StandardCharsets.UTF_8);
    byte[] floorKey = plainKey;
    switch (scheme) {
      case "stripe" -> {
        provider = "stripe";
        secret = STRIPE_SECRET;
        eventId = "evt_1OXk2bLkdIwHu7ixBenchAbc";
        body = Payloads.json("stripe", size, eventId);
        floorKey = utf8(secret);
        h.put("Stripe-Signature", "t=" + tsText + ",v1=" + hex(hmac("HmacSHA256", floorKey, utf8(tsText + "."), body)));
      }
      case "github" -> {
        provider = "github";
        secret = PLAIN_SECRET;
        eventId = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
        body = Payloads.json("github", size, eventId);
        h.put("X-GitHub-Event", "push");
        h.put("X-GitHub-Delivery", eventId);
        h.put("X-GitHub-Hook-ID", "292430182");
        h.put("X-Hub-Signature", "sha1=" + hex(hmac("HmacSHA1", plainKey, body)));
        h.put("X-Hub-Signature-256", "sha256=" + hex(hmac("HmacSHA256", plainKey, body)));
      }
      case "standard-v1" -> {
        provider = "standard";
        secret = STANDARD_SECRET;
        eventId = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
        body = Payloads.json("standard", size, eventId);
        floorKey = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        h.put("webhook-id", eventId);
        h.put("webhook-timestamp", tsText);
        h.put("webhook-signature", "v1," + b64(hmac("HmacSHA256", floorKey, utf8(eventId + "." + tsText + "."), body)));
      }
      case "standard-v1a" -> {
        provider = "standard";
        eventId = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
        body = Payloads.json("standard", size, eventId);
        KeyPair pair = ed25519Pair();
        byte[] x509 = pair.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
        secret = "whpk_" + b64(raw);
        floorKey = null;
        h.put("webhook-id", eventId);
        h.put("webhook-timestamp", tsText);
        h.put("webhook-signature", "v1a," + b64(ed25519Sign(pair, utf8(eventId + "." + tsText + "."), body)));
        Fixture f = finish(scheme, provider, secret, options, h, contentType, body, nowMillis, null, eventId);
        f.ed25519 = pair;
        return f;
      }
      case "shopify" -> {
        provider = "shopify";
        secret = PLAIN_SECRET;
        eventId = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043";
        body = Payloads.json("shopify", size, eventId);
        h.put("X-Shopify-Topic", "orders/create");
        h.put("X-Shopify-Shop-Domain", "bench.myshopify.com");
        h.put("X-Shopify-Webhook-Id", eventId);
        h.put("X-Shopify-Hmac-Sha256", b64(hmac("HmacSHA256", plainKey, body)));
      }
      case "slack" -> {
        provider = "slack";
        secret = PLAIN_SECRET;
        eventId = "Ev08MFMKH6J8";
        body = Payloads.json("slack", size, eventId);
        h.put("X-Slack-Request-Timestamp", tsText);
        h.put("X-Slack-Signature", "v0=" + hex(hmac("HmacSHA256", plainKey, utf8("v0:" + tsText + ":"), body)));
      }
      case "paddle" -> {
        provider = "paddle";
        secret = PLAIN_SECRET;
        eventId = "evt_01hv8x2acma5xv7z0wkyjqvqvc";
        body = Payloads.json("paddle", size, eventId);
        h.put("Paddle-Signature", "ts=" + tsText + ";h1=" + hex(hmac("HmacSHA256", plainKey, utf8(tsText + ":"), body)));
      }
      case "hmac" -> {
        provider = "hmac";
        secret = PLAIN_SECRET;
        eventId = "acme-evt-000000000001";
        body = Payloads.json("hmac", size, eventId);
        options = Map.of("algorithm", "sha256", "header", "X-Signature", "encoding", "hex", "prefix", "sha256=",
            "eventIdHeader", "X-Event-Id");
        h.put("X-Event-Id", eventId);
        h.put("X-Signature", "sha256=" + hex(hmac("HmacSHA256", plainKey, body)));
      }
      case "twilio" -> {
        provider = "twilio";
        secret = PLAIN_SECRET;
        eventId = "SM0123456789abcdef0123456789abcdef";
        body = Payloads.twilioForm(size, eventId);
        contentType = "application/x-www-form-urlencoded";
        h.put("X-Twilio-Signature", b64(hmac("HmacSHA1", plainKey, twilioSignedContent(TWILIO_URL, body))));
        h.put("I-Twilio-Idempotency-Token", "0d4a1f0e-5b0d-4a3c-9c7b-3b5d2c1e0f9a");
      }
      default -> {
        return fromRegistry(scheme, size, nowMillis);
      }
    }
    return finish(scheme, provider, secret, options, h, contentType, body, nowMillis, floorKey, eventId);
  }

  /** For {@code standard-v1a}: the key pair the request was signed with (the floor verifies with it). */
  public KeyPair ed25519;

  private static Fixture finish(String scheme, String provider, String secret, Map<String, Object> options,
                                Map<String, String> headers, String contentType, byte[] body, long nowMillis,
                                byte[] floorKey, String eventId) {
    SignatureVerifier verifier = Verifiers.create(new VerifierSpec("bench-" + scheme, provider,
        List.of(Secret.of(secret)), Duration.ofMinutes(5), options, "sources[0]"));
    String url = scheme.equals("twilio") ? TWILIO_URL : "https://hooks.example.com/webhooks/" + scheme;
    BenchRequest request = new BenchRequest(headers, contentType, body, nowMillis, url);
    Verification check = verifier.verify(request);
    if (!check.accepted()) {
      throw new IllegalStateException(scheme + " fixture is not accepted by its verifier: " + check);
    }
    return new Fixture(scheme, verifier, request, floorFor(scheme), floorKey, eventId);
  }

  /**
   * A registry provider measured through its own declaration: its sample body padded to {@code size}
   * bytes, signed by its {@code send} signer with a plain secret (a {@code whsec_} one for Standard
   * Webhooks senders, {@code user:password} for basic), the floor keyed with the same bytes.
   */
  static Fixture fromRegistry(String scheme, int size, long nowMillis) {
    Provider provider = Providers.find(scheme);
    if (provider == null) {
      throw new IllegalArgumentException("unknown scheme " + scheme);
    }
    String eventId = "evt_bench_" + scheme + "_0000000001";
    long now = nowMillis / 1000;
    String sample = new String(provider.sampleBody().create(eventId, now), StandardCharsets.UTF_8);
    int pad = Math.max(0, size - sample.length() - ",\"padding\":\"\"".length());
    byte[] body = utf8(sample.substring(0, sample.lastIndexOf('}')) + ",\"padding\":\"" + "x".repeat(pad) + "\"}");
    // The providers of issue 18's second half take keys in their own form (a public key, a sharedkey:…): the registry makes them.
    Provider.SampleKeys keys = switch (scheme) {
      case "svix", "clerk", "resend" -> new Provider.SampleKeys(STANDARD_SECRET, null);
      case "basic" -> new Provider.SampleKeys("bench:" + PLAIN_SECRET, null);
      case "discord", "sendgrid", "okta", "msgraph", "twitter", "square" ->
          provider.sampleKeys().create(new java.security.SecureRandom(new byte[] {1}));
      default -> new Provider.SampleKeys(PLAIN_SECRET, null);
    };
    String secret = keys.secret();
    Map<String, Object> options = switch (scheme) {
      case "apikey" -> Map.of("header", "X-Api-Key");
      default -> Map.of();
    };
    String url = "https://hooks.example.com/webhooks/" + scheme;
    SignedEvent signed = provider.signer().sign(new SendInput(secret, body, eventId, now, url, options, keys.privateKey()));
    byte[] floorKey = secret.startsWith("whsec_") ? Base64.getDecoder().decode(secret.substring("whsec_".length())) : utf8(secret);
    SignatureVerifier verifier = Verifiers.create(new VerifierSpec("bench-" + scheme, scheme,
        List.of(Secret.of(secret)), Duration.ofMinutes(5), options, "sources[0]"));
    BenchRequest request = new BenchRequest(signed.headers(), signed.contentType(), signed.body(), nowMillis,
        signed.url() != null ? signed.url() : url);
    Verification check = verifier.verify(request);
    if (!check.accepted()) {
      throw new IllegalStateException(scheme + " fixture is not accepted by its verifier: " + check);
    }
    return new Fixture(scheme, verifier, request, floorFor(scheme), floorKey, eventId);
  }

  /** Twilio signs the URL followed by every form parameter, sorted by name, as name+value (decoded). */
  static byte[] twilioSignedContent(String url, byte[] form) {
    java.util.TreeMap<String, java.util.TreeSet<String>> sorted = new java.util.TreeMap<>();
    for (String pair : new String(form, StandardCharsets.US_ASCII).split("&")) {
      int eq = pair.indexOf('=');
      String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      sorted.computeIfAbsent(name, k -> new java.util.TreeSet<>()).add(value);
    }
    StringBuilder data = new StringBuilder(url);
    sorted.forEach((name, values) -> values.forEach(v -> data.append(name).append(v)));
    return data.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] hmac(String algorithm, byte[] key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair ed25519Pair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] ed25519Sign(KeyPair pair, byte[]... parts) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(pair.getPrivate());
      for (byte[] part : parts) {
        s.update(part);
      }
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  public static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
