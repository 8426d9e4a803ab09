package io.hookline.verify;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One provider, declared once: its {@code provider:} name, documentation link, how its verifier is
 * built from a source's secrets and options, how {@code send} signs like it, and the one-line
 * descriptions the README provider table is generated from. Every other place reads this:
 * {@code verify.provider.Providers} (the registry) validates names and builds verifiers, {@code send} signs,
 * {@code check-config} prints the doc link, the README table and the catalogue tests iterate it.
 *
 * <p>How to add a provider (the 41st is one new file plus one line):
 * <ol>
 *   <li>Create {@code io/hookline/verify/provider/Acme.java} with
 *       {@code public static final Provider PROVIDER = Provider.named("acme")...build();}. Fill
 *       {@code docs} (the provider's own page), {@code scheme}, {@code secret}, {@code eventId},
 *       {@code eventType}, {@code handshake} and {@code note} (README cells; {@code note} says where
 *       the provider's current docs differ from SPEC), {@code verifier} and {@code signer}.</li>
 *   <li>The verifier: for an HMAC over body/headers use {@link HmacScheme} (declarative: header,
 *       prefix, encoding, signed parts, timestamp, {@link EventField} id and type); for
 *       {@code t=…,v1=…} headers use {@link TimestampedScheme}; anything else implements
 *       {@link SignatureVerifier} (pure Java over {@link WebhookRequest}, constant-time compares
 *       via {@link KeyMatch}, never throws). Options: read them from {@link ProviderSetup#options()},
 *       calling {@code allowOnly(...)} first, so unknown keys are errors naming the field.</li>
 *   <li>GET handshake (Meta, Dropbox, X, Okta): override {@link SignatureVerifier#answerGet}; POST
 *       handshakes return {@link Verification#handshake} from {@code verify}.</li>
 *   <li>The signer ({@link Signer}) is the sender's side, written with plain {@code javax.crypto}
 *       (see {@link Signatures}), independently of the verifier; {@code sampleBody} shapes the
 *       test event so id and type are found where the provider puts them.</li>
 *   <li>Add {@code Acme.PROVIDER} to {@code Providers}' list, then regenerate the README table:
 *       {@code mvn test -Dtest=ProviderTableTest -Dhookline.updateReadme=true}.</li>
 * </ol>
 */
public final class Provider {
  /** Builds one source's verifier; throws {@link io.hookline.config.ConfigException} naming the field. */
  @FunctionalInterface
  public interface VerifierFactory {
    SignatureVerifier create(ProviderSetup setup);
  }

  /** Signs a test event as the provider would (for {@code send} and tests). */
  @FunctionalInterface
  public interface Signer {
    /** @throws IllegalArgumentException when this provider or these options cannot be signed for (no secret in the message) */
    SignedEvent sign(SendInput input);
  }

  /** A test event body shaped like the provider's, carrying {@code eventId} where the provider puts its id. */
  @FunctionalInterface
  public interface SampleBody {
    byte[] create(String eventId, long nowSeconds);
  }

  /**
   * A fresh secret in the form this provider's sources take, and for an asymmetric provider the
   * private key that signs for it: what the warm-up's scratch sources (and tests) run with.
   */
  public record SampleKeys(String secret, PrivateKey privateKey) {
    @Override
    public String toString() {
      return "SampleKeys(***)";
    }
  }

  /** Makes {@link SampleKeys} from fresh randomness. */
  @FunctionalInterface
  public interface SampleKeysFactory {
    SampleKeys create(SecureRandom random);
  }

  /** 24 random bytes as hex: a secret every shared-secret provider takes. */
  public static final SampleKeysFactory HEX_SECRET = random -> {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return new SampleKeys(HexFormat.of().formatHex(bytes), null);
  };

  /** The generic test event: {@code id}, {@code event_id} and {@code type} at the top level. */
  public static final SampleBody GENERIC_BODY = (id, now) -> ("{\"id\":" + Signatures.jsonString(id)
      + ",\"type\":\"hookline.test\",\"event_id\":" + Signatures.jsonString(id)
      + ",\"data\":{\"message\":\"hello from hookline send\"}}").getBytes(StandardCharsets.UTF_8);

  /** The replay window of a source that sets no {@code toleranceSeconds}, unless its provider documents another. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private final String name;
  private final Duration defaultTolerance;
  private final String docs;
  private final String scheme;
  private final String secret;
  private final String eventId;
  private final String eventType;
  private final String handshake;
  private final String note;
  private final VerifierFactory verifier;
  private final Signer signer;
  private final SampleBody sampleBody;
  private final SampleKeysFactory sampleKeys;

  private Provider(Builder b) {
    this.name = Objects.requireNonNull(b.name, "name");
    this.docs = Objects.requireNonNull(b.docs, name + ": docs");
    this.defaultTolerance = b.defaultTolerance;
    this.scheme = Objects.requireNonNull(b.scheme, name + ": scheme");
    this.secret = Objects.requireNonNull(b.secret, name + ": secret");
    this.eventId = Objects.requireNonNull(b.eventId, name + ": eventId");
    this.eventType = b.eventType == null ? "" : b.eventType;
    this.handshake = b.handshake == null ? "" : b.handshake;
    this.note = b.note == null ? "" : b.note;
    this.verifier = Objects.requireNonNull(b.verifier, name + ": verifier");
    this.signer = b.signer;
    this.sampleBody = b.sampleBody == null ? GENERIC_BODY : b.sampleBody;
    this.sampleKeys = b.sampleKeys == null ? HEX_SECRET : b.sampleKeys;
  }

  public static Builder named(String name) {
    return new Builder(name);
  }

  /** The {@code provider:} value (lower case). */
  public String name() { return name; }
  /** The provider's own documentation of its webhook signatures. */
  public String docs() { return docs; }
  /** The signature scheme in one line (Markdown). */
  public String scheme() { return scheme; }
  /** What goes in {@code secrets:} (Markdown). */
  public String secret() { return secret; }
  /** Where the event id (dedup key) comes from (Markdown). */
  public String eventId() { return eventId; }
  /** Where the event type comes from (Markdown); empty when there is none. */
  public String eventType() { return eventType; }
  /** The handshake answered, if any (Markdown); empty when none. */
  public String handshake() { return handshake; }
  /** Options, caveats, and where the provider's docs differ from SPEC (Markdown); may be empty. */
  public String note() { return note; }
  public VerifierFactory verifier() { return verifier; }
  /** The replay window when the source sets no {@code toleranceSeconds}: the provider's documented one. */
  public Duration defaultTolerance() { return defaultTolerance; }
  /** Null when {@code send} cannot sign for this provider. */
  public Signer signer() { return signer; }
  public SampleBody sampleBody() { return sampleBody; }
  /** Fresh keys in this provider's secret form (default {@link #HEX_SECRET}). */
  public SampleKeysFactory sampleKeys() { return sampleKeys; }

  @Override
  public String toString() {
    return "Provider(" + name + ")";
  }

  /** Fluent declaration; {@code docs}, {@code scheme}, {@code secret}, {@code eventId} and {@code verifier} are required. */
  public static final class Builder {
    private final String name;
    private String docs;
    private String scheme;
    private String secret;
    private String eventId;
    private String eventType;
    private String handshake;
    private String note;
    private VerifierFactory verifier;
    private Signer signer;
    private SampleBody sampleBody;
    private SampleKeysFactory sampleKeys;
    private Duration defaultTolerance = DEFAULT_TOLERANCE;

    private Builder(String name) {
      this.name = name;
    }

    public Builder docs(String url) { this.docs = url; return this; }
    public Builder scheme(String markdown) { this.scheme = markdown; return this; }
    public Builder secret(String markdown) { this.secret = markdown; return this; }
    public Builder eventId(String markdown) { this.eventId = markdown; return this; }
    public Builder eventType(String markdown) { this.eventType = markdown; return this; }
    public Builder handshake(String markdown) { this.handshake = markdown; return this; }
    public Builder note(String markdown) { this.note = markdown; return this; }
    /** The provider's documented replay window, when it is not {@link #DEFAULT_TOLERANCE}. */
    public Builder defaultTolerance(Duration window) { this.defaultTolerance = Objects.requireNonNull(window); return this; }
    public Builder verifier(VerifierFactory factory) { this.verifier = factory; return this; }
    public Builder signer(Signer signer) { this.signer = signer; return this; }
    public Builder sampleBody(SampleBody body) { this.sampleBody = body; return this; }
    /** When the provider's secret is not any string (a {@code whsec_} key, a public key): how to make one. */
    public Builder sampleKeys(SampleKeysFactory keys) { this.sampleKeys = keys; return this; }

    public Provider build() {
      return new Provider(this);
    }
  }
}
