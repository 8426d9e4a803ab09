package io.hookline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookline.config.HooklineConfig.DestinationConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration contract: defaults, binding, fail-closed errors that name the field, ${VAR} and
 * file: references, HOOKLINE_* overrides, and a boot log ({@link HooklineConfig#describe()}) that
 * never shows a secret. The loader gets an explicit environment map, so these tests do not depend
 * on (or leak into) the real process environment.
 */
class ConfigLoaderTest {
  /** A valid Standard Webhooks signing secret (32 bytes of key). */
  static final String WHSEC = "whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

  static HooklineConfig load(String yaml) {
    return load(yaml, Map.of());
  }

  static HooklineConfig load(String yaml, Map<String, String> env) {
    return new ConfigLoader(env).load(yaml);
  }

  /** The ConfigException message for a YAML that must not load. */
  static String error(String yaml) {
    return error(yaml, Map.of());
  }

  static String error(String yaml, Map<String, String> env) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> load(yaml, env));
    assertThat(t).as("loading must fail with a ConfigException").isInstanceOf(ConfigException.class);
    return t.getMessage();
  }

  /** One GitHub source with one secret, plus whatever else the test needs. */
  static String ghSource(String extra) {
    return """
        sources:
          - id: gh
            provider: github
            secrets: ["gh-secret-value"]
        """ + extra;
  }

  @Nested
  class Defaults {
    @Test
    void emptyYamlGivesTheDocumentedDefaultsAndEmbeddedMode() {
      for (String yaml : new String[] {"", "   \n", "# only a comment\n", null}) {
        HooklineConfig c = load(yaml);
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.http().host()).isEqualTo("0.0.0.0");
        assertThat(c.http().maxBodyBytes()).isEqualTo(1_048_576L);
        assertThat(c.http().idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.management().port()).isEqualTo(9090);
        assertThat(c.management().adminToken()).isNull();
        assertThat(c.redis().url()).isNull();
        assertThat(c.postgres().url()).isNull();
        assertThat(c.postgres().schema()).isEqualTo("hookline");
        assertThat(c.log().format()).isEqualTo("text");
        assertThat(c.log().level()).isEqualTo("info");
        assertThat(c.dataDir()).isEqualTo("hookline-data");
        assertThat(c.sources()).isEmpty();
        assertThat(c.embedded()).as("no redis.url and no postgres.url = embedded development mode").isTrue();
        assertThat(c.tracing().enabled()).as("no tracing section = tracing off").isFalse();
        assertThat(c.tracing().sampleRatio()).isEqualTo(1.0);
        assertThat(c.tracing().serviceName()).isEqualTo("hookline");
      }
    }

    @Test
    void aTracingSectionWithAnEndpointTurnsTracingOn() {
      HooklineConfig c = load("tracing: { otlpEndpoint: \"http://127.0.0.1:4318\", sampleRatio: 0.25, serviceName: hooks }\n");
      assertThat(c.tracing().enabled()).isTrue();
      assertThat(c.tracing().otlpEndpoint()).isEqualTo("http://127.0.0.1:4318");
      assertThat(c.tracing().sampleRatio()).isEqualTo(0.25);
      assertThat(c.tracing().serviceName()).isEqualTo("hooks");
      assertThat(load("tracing: { sampleRatio: 0.5 }\n").tracing().enabled()).as("no otlpEndpoint = off").isFalse();
    }

    @Test
    void sourceAndDestinationDefaults() {
      HooklineConfig c = load(ghSource("""
                destinations:
                  - url: http://127.0.0.1:9000/a
                  - url: https://example.com/b
            """));
      SourceConfig s = c.source("gh");
      assertThat(s.tolerance()).as("unset: the provider's own window (Provider.defaultTolerance)").isNull();
      assertThat(s.dedupTtl()).isEqualTo(Duration.ofHours(72));
      assertThat(s.maxBodyBytes()).as("a source inherits http.maxBodyBytes").isEqualTo(1_048_576L);
      assertThat(s.destinations()).extracting(DestinationConfig::id).containsExactly("d0", "d1");
      DestinationConfig d = s.destinations().get(0);
      assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(10));
      assertThat(d.maxAttempts()).isEqualTo(8);
      assertThat(d.signingSecret()).isNull();
    }

    @Test
    void bothRedisAndPostgresSetIsNotEmbedded() {
      HooklineConfig c = load("""
          redis: { url: "redis://127.0.0.1:6379" }
          postgres: { url: "postgresql://postgres@127.0.0.1:5432/hookline" }
          """);
      assertThat(c.embedded()).isFalse();
    }
  }

  @Test
  void theSpecExampleBindsEveryField() {
    Map<String, String> env = Map.of("HOOKLINE_ADMIN_TOKEN", "admin-token-value", "STRIPE_WEBHOOK_SECRET", "whsec_stripe_value");
    HooklineConfig c = load("""
        http:        { port: 8081, maxBodyBytes: 2097152 }
        management:  { port: 9091, adminToken: "${HOOKLINE_ADMIN_TOKEN}" }
        redis:       { url: "redis://127.0.0.1:6379" }
        postgres:    { url: "postgresql://postgres@127.0.0.1:5432/hookline" }
        sources:
          - id: stripe                    # URL path segment: POST /webhooks/stripe
            provider: stripe
            secrets: ["${STRIPE_WEBHOOK_SECRET}"]   # list: several = rotation, any may match
            toleranceSeconds: 120
            dedupTtl: 48h
            destinations:
              - url: http://127.0.0.1:9000/stripe
                timeout: 7s
                maxAttempts: 5
                signingSecret: "%s"
          - id: acme
            provider: hmac                # generic HMAC: every part configurable
            secrets: ["acme-secret"]      # (the spec's sketch leaves this out; without it: fail closed)
            hmac: { algorithm: sha256, header: X-Signature, encoding: hex, prefix: "sha256=",
                    eventIdHeader: X-Event-Id }
        """.formatted(WHSEC), env);

    assertThat(c.http().port()).isEqualTo(8081);
    assertThat(c.http().maxBodyBytes()).isEqualTo(2_097_152L);
    assertThat(c.management().port()).isEqualTo(9091);
    assertThat(c.management().adminToken().value()).isEqualTo("admin-token-value");
    assertThat(c.redis().url()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(c.postgres().url()).isEqualTo("postgresql://postgres@127.0.0.1:5432/hookline");
    assertThat(c.embedded()).isFalse();
    assertThat(c.sources()).extracting(SourceConfig::id).containsExactly("stripe", "acme");

    SourceConfig stripe = c.source("stripe");
    assertThat(stripe.provider()).isEqualTo("stripe");
    assertThat(stripe.secrets()).extracting(Secret::value).containsExactly("whsec_stripe_value");
    assertThat(stripe.tolerance()).isEqualTo(Duration.ofSeconds(120));
    assertThat(stripe.dedupTtl()).isEqualTo(Duration.ofHours(48));
    assertThat(stripe.maxBodyBytes()).as("inherits the http limit").isEqualTo(2_097_152L);
    assertThat(stripe.path()).isEqualTo("sources[0]");
    assertThat(stripe.destinations()).hasSize(1);
    DestinationConfig d = stripe.destinations().get(0);
    assertThat(d.id()).isEqualTo("d0");
    assertThat(d.url()).isEqualTo("http://127.0.0.1:9000/stripe");
    assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(d.maxAttempts()).isEqualTo(5);
    assertThat(d.signingSecret().value()).isEqualTo(WHSEC);

    SourceConfig acme = c.source("acme");
    assertThat(acme.provider()).isEqualTo("hmac");
    assertThat(acme.providerOptions()).containsEntry("algorithm", "sha256").containsEntry("header", "X-Signature")
        .containsEntry("encoding", "hex").containsEntry("prefix", "sha256=").containsEntry("eventIdHeader", "X-Event-Id");
    assertThat(acme.secrets()).extracting(Secret::value).containsExactly("acme-secret");
    assertThat(acme.destinations()).isEmpty();
  }

  @Test
  void secretsWithRotationWindowBind() {
    HooklineConfig c = load("""
        sources:
          - id: gh
            provider: github
            secrets:
              - new-secret
              - { value: old-secret, notAfter: "2026-12-01T00:00:00Z" }
        """);
    List<Secret> secrets = c.source("gh").secrets();
    assertThat(secrets).extracting(Secret::value).containsExactly("new-secret", "old-secret");
    assertThat(secrets.get(0).notAfter()).isNull();
    assertThat(secrets.get(1).notAfter()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
  }

  @Test
  void theEndOfARotationWindowCanComeFromTheEnvironment() {
    HooklineConfig c = load("""
        sources:
          - id: gh
            provider: github
            secrets: ["${NEW}", { value: "${OLD}", notAfter: "${OLD_UNTIL}" }]
        """, Map.of("NEW", "new-secret", "OLD", "old-secret", "OLD_UNTIL", "2027-01-15T12:00:00Z"));
    assertThat(c.source("gh").secrets().get(1).notAfter()).isEqualTo(Instant.parse("2027-01-15T12:00:00Z"));
  }

  @Nested
  class Errors {
    @Test
    void unknownTopLevelKey() {
      assertThat(error("htpp: { port: 1 }\n")).startsWith("htpp: unknown key").contains("http");
    }

    @Test
    void unknownKeyInsideASection() {
      assertThat(error("http: { prot: 8080 }\n")).startsWith("http.prot: unknown key").contains("port");
      assertThat(error("management: { adminTokn: x }\n")).startsWith("management.adminTokn: unknown key");
    }

    @Test
    void unknownKeyInsideASource() {
      assertThat(error(ghSource("    secret: oops\n"))).startsWith("sources[0].secret: unknown key").contains("secrets");
      // another provider's options block is unknown too: a stripe source has no hmac block
      assertThat(error("""
          sources:
            - id: s
              provider: stripe
              secrets: [x]
              hmac: { header: X-Sig }
          """)).startsWith("sources[0].hmac: unknown key");
    }

    @Test
    void unknownKeyInsideADestination() {
      assertThat(error(ghSource("""
                destinations:
                  - url: http://127.0.0.1:9000/a
                    retries: 3
            """))).startsWith("sources[0].destinations[0].retries: unknown key").contains("maxAttempts");
    }

    @Test
    void providerThatIsNotAName() {
      // Which names exist is the provider registry's (VerifiersTest.refusesUnknownProviders); the loader checks the form.
      assertThat(error("""
          sources:
            - id: x
              provider: "stripe v1"
              secrets: [s]
          """)).startsWith("sources[0].provider: ").contains("not a provider name");
    }

    @Test
    void missingProvider() {
      assertThat(error("""
          sources:
            - id: x
              secrets: [s]
          """)).startsWith("sources[0].provider: is required");
    }

    @Test
    void missingSecretsFailClosed() {
      assertThat(error("""
          sources:
            - id: gh
              provider: github
          """)).startsWith("sources[0].secrets: at least one secret is required");
      assertThat(error("""
          sources:
            - id: gh
              provider: github
              secrets: []
          """)).startsWith("sources[0].secrets: at least one secret is required");
      assertThat(error("""
          sources:
            - id: gh
              provider: github
              secrets: [""]
          """)).startsWith("sources[0].secrets[0]: is empty");
    }

    @Test
    void duplicateSourceId() {
      assertThat(error("""
          sources:
            - { id: gh, provider: github, secrets: [a] }
            - { id: gh, provider: stripe, secrets: [b] }
          """)).startsWith("sources[1].id: duplicate source id 'gh'");
    }

    @Test
    void badSourceId() {
      assertThat(error("""
          sources:
            - { id: "a/b", provider: github, secrets: [a] }
          """)).startsWith("sources[0].id: must be");
    }

    @Test
    void badDestinationUrl() {
      for (String url : new String[] {"ftp://example.com/x", "127.0.0.1:9000/x", "http://", "not a url", "http:///path"}) {
        assertThat(error(ghSource("""
                  destinations:
                    - url: "%s"
              """.formatted(url)))).as(url).startsWith("sources[0].destinations[0].url: ");
      }
      assertThat(error(ghSource("""
                destinations:
                  - timeout: 5s
            """))).startsWith("sources[0].destinations[0].url: is required");
    }

    @Test
    void badDuration() {
      assertThat(error(ghSource("    dedupTtl: 3 days\n")))
          .startsWith("sources[0].dedupTtl: must be a duration like").contains("'3 days'");
      assertThat(error("http: { idleTimeout: 10x }\n")).startsWith("http.idleTimeout: must be a duration");
      assertThat(error("delivery: { lease: 0s }\n")).startsWith("delivery.lease: must be positive");
      assertThat(error(ghSource("""
                destinations:
                  - { url: "http://127.0.0.1:9000/a", timeout: soon }
            """))).startsWith("sources[0].destinations[0].timeout: must be a duration");
    }

    @Test
    void durationFormatsThatAreAccepted() {
      HooklineConfig c = load("""
          http: { idleTimeout: 500ms }
          delivery: { pollInterval: 2, lease: PT90S, drainTimeout: 1m }
          store: { retryAfter: 1d }
          """);
      assertThat(c.http().idleTimeout()).isEqualTo(Duration.ofMillis(500));
      assertThat(c.delivery().pollInterval()).as("a bare number is seconds").isEqualTo(Duration.ofSeconds(2));
      assertThat(c.delivery().lease()).isEqualTo(Duration.ofSeconds(90));
      assertThat(c.delivery().drainTimeout()).isEqualTo(Duration.ofMinutes(1));
      assertThat(c.store().retryAfter()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void onlyOneOfRedisAndPostgresIsAnError() {
      assertThat(error("redis: { url: \"redis://127.0.0.1:6379\" }\n"))
          .startsWith("postgres.url: is required when redis.url is set");
      assertThat(error("postgres: { url: \"postgresql://postgres@127.0.0.1:5432/hookline\" }\n"))
          .startsWith("redis.url: is required when postgres.url is set");
    }

    @Test
    void badScalarsNameTheField() {
      assertThat(error("http: { port: eighty }\n")).startsWith("http.port: must be a whole number");
      assertThat(error("http: { port: 70000 }\n")).startsWith("http.port: must be between 0 and 65535");
      assertThat(error("http: { maxBodyBytes: lots }\n")).startsWith("http.maxBodyBytes: must be a byte count");
      assertThat(error("log: { format: xml }\n")).startsWith("log.format: must be one of");
      assertThat(error("tracing: { sampleRatio: 1.5 }\n")).startsWith("tracing.sampleRatio: must be between 0 and 1");
      assertThat(error("tracing: { sampleRatio: half }\n")).startsWith("tracing.sampleRatio: must be a number");
      assertThat(error("tracing: { otlpEndpoint: \"grpc://x:4317\" }\n")).startsWith("tracing.otlpEndpoint: must be a URL");
      assertThat(error("http: 8080\n")).startsWith("http: expected a mapping");
      assertThat(error("sources: { id: gh }\n")).startsWith("sources: expected a list");
      assertThat(error("- just\n- a list\n")).startsWith("(root): expected a YAML mapping");
      assertThat(error("http: { port: [1\n")).startsWith("(yaml): not valid YAML");
    }

    @Test
    void badSigningSecret() {
      assertThat(error(ghSource("""
                destinations:
                  - { url: "http://127.0.0.1:9000/a", signingSecret: "not-whsec" }
            """))).startsWith("sources[0].destinations[0].signingSecret: must be a Standard Webhooks secret")
          .doesNotContain("not-whsec");
    }
  }

  @Nested
  class EnvironmentReferences {
    @Test
    void variableAndDefaultResolve() {
      HooklineConfig c = load("""
          http: { port: "${PORT}", host: "${HOST:-127.0.0.1}" }
          management: { port: "${MGMT_PORT:-9191}" }
          sources:
            - id: gh
              provider: github
              secrets: ["${GH_SECRET}", "prefix-${GH_OLD}-suffix"]
          """, Map.of("PORT", "8181", "GH_SECRET", "from-env", "GH_OLD", "old"));
      assertThat(c.http().port()).isEqualTo(8181);
      assertThat(c.http().host()).as("default used when unset").isEqualTo("127.0.0.1");
      assertThat(c.management().port()).isEqualTo(9191);
      assertThat(c.source("gh").secrets()).extracting(Secret::value).containsExactly("from-env", "prefix-old-suffix");
    }

    @Test
    void aSetVariableWinsOverItsDefault() {
      HooklineConfig c = load("http: { host: \"${HOST:-127.0.0.1}\" }\n", Map.of("HOST", "10.0.0.1"));
      assertThat(c.http().host()).isEqualTo("10.0.0.1");
    }

    @Test
    void anUnsetVariableIsAnErrorNamingFieldAndVariable() {
      String msg = error(ghSource("").replace("gh-secret-value", "${GH_SECRET}"));
      assertThat(msg).startsWith("sources[0].secrets[0]: ").contains("GH_SECRET", "not set");
      assertThat(error("management: { adminToken: \"${HOOKLINE_ADMIN_TOKEN}\" }\n"))
          .startsWith("management.adminToken: ").contains("HOOKLINE_ADMIN_TOKEN", "not set");
      assertThat(error(ghSource("""
                destinations:
                  - { url: "http://127.0.0.1:9000/a", signingSecret: "${DEST_SECRET}" }
            """))).startsWith("sources[0].destinations[0].signingSecret: ").contains("DEST_SECRET");
      assertThat(error("http: { port: \"${PORT}\" }\n")).startsWith("http.port: ").contains("PORT");
    }

    /**
     * A secret referenced as ${VAR} whose variable exists but is empty (a common deployment slip:
     * {@code SECRET=} in an env file) must not quietly become "no secret": that would disable
     * admin auth or destination signing without a word. It stops start-up instead.
     */
    @Test
    void anEmptyVariableForASecretIsAnError() {
      Map<String, String> empty = Map.of("GH_SECRET", "", "HOOKLINE_ADMIN_TOKEN", "", "DEST_SECRET", "");
      assertThat(error(ghSource("").replace("gh-secret-value", "${GH_SECRET}"), empty))
          .startsWith("sources[0].secrets[0]: ").contains("GH_SECRET", "empty");
      assertThat(error("management: { adminToken: \"${HOOKLINE_ADMIN_TOKEN}\" }\n", empty))
          .startsWith("management.adminToken: ").contains("HOOKLINE_ADMIN_TOKEN", "empty");
      assertThat(error(ghSource("""
                destinations:
                  - { url: "http://127.0.0.1:9000/a", signingSecret: "${DEST_SECRET}" }
            """), empty)).startsWith("sources[0].destinations[0].signingSecret: ").contains("DEST_SECRET", "empty");
    }

    /** ${VAR:-default} follows the shell: the default applies when VAR is unset or empty. */
    @Test
    void anEmptyVariableTakesItsDefault() {
      HooklineConfig c = load("http: { host: \"${HOST:-127.0.0.1}\" }\n", Map.of("HOST", ""));
      assertThat(c.http().host()).isEqualTo("127.0.0.1");
    }

    /** An explicit empty default is how an operator says "optional": no admin token, admin API off. */
    @Test
    void anExplicitEmptyDefaultLeavesAnOptionalSecretUnset() {
      HooklineConfig c = load("management: { adminToken: \"${HOOKLINE_ADMIN_TOKEN:-}\" }\n");
      assertThat(c.management().adminToken()).isNull();
    }

    @Test
    void anUnsetVariableInAUrlIsAnError() {
      assertThat(error("""
          redis: { url: "redis://:${REDIS_PASSWORD}@127.0.0.1:6379" }
          postgres: { url: "postgresql://postgres@127.0.0.1:5432/hookline" }
          """)).startsWith("redis.url: ").contains("REDIS_PASSWORD", "not set");
    }
  }

  @Nested
  class FileSecrets {
    @TempDir
    Path dir;

    @Test
    void fileReferenceIsReadAndSurroundingWhitespaceTrimmed() throws IOException {
      // Secret files written by `echo`, Kubernetes or Docker secrets usually end in a newline;
      // that newline is not part of the key, so the loader strips surrounding whitespace.
      Path f = dir.resolve("gh.secret");
      Files.writeString(f, "file-secret-value\n");
      Path g = dir.resolve("old.secret");
      Files.writeString(g, "  old-value \r\n\n");
      HooklineConfig c = load("""
          sources:
            - id: gh
              provider: github
              secrets: ["file:%s", { value: "file:%s", notAfter: "2030-01-01T00:00:00Z" }]
          """.formatted(f, g));
      assertThat(c.source("gh").secrets()).extracting(Secret::value).containsExactly("file-secret-value", "old-value");
    }

    @Test
    void fileReferenceWorksForAdminTokenAndSigningSecretAndThroughVariables() throws IOException {
      Path token = dir.resolve("admin.token");
      Files.writeString(token, "admin-from-file\n");
      Path signing = dir.resolve("signing");
      Files.writeString(signing, WHSEC + "\n");
      HooklineConfig c = load(ghSource("""
                destinations:
                  - { url: "http://127.0.0.1:9000/a", signingSecret: "file:%s" }
            management: { adminToken: "file:${SECRETS_DIR}/admin.token" }
            """.formatted(signing)), Map.of("SECRETS_DIR", dir.toString()));
      assertThat(c.management().adminToken().value()).isEqualTo("admin-from-file");
      assertThat(c.source("gh").destinations().get(0).signingSecret().value()).isEqualTo(WHSEC);
    }

    @Test
    void aMissingFileIsAnErrorNamingTheFieldAndTheFile() {
      Path missing = dir.resolve("no-such.secret");
      String msg = error(ghSource("").replace("gh-secret-value", "file:" + missing));
      assertThat(msg).startsWith("sources[0].secrets[0]: cannot read secret file").contains(missing.toString());
    }

    @Test
    void anUnreadableSecretFileNeverShowsItsContent() throws IOException {
      // A directory cannot be read as a file: the error must name the field, not echo anything read.
      Path secretDir = dir.resolve("a-dir");
      Files.createDirectories(secretDir);
      String msg = error("management: { adminToken: \"file:%s\" }\n".formatted(secretDir));
      assertThat(msg).startsWith("management.adminToken: cannot read secret file");
    }

    @Test
    void anEmptyFileIsAnError() throws IOException {
      Path f = dir.resolve("empty.secret");
      Files.writeString(f, "\n");
      assertThat(error(ghSource("").replace("gh-secret-value", "file:" + f)))
          .startsWith("sources[0].secrets[0]: secret file").contains("is empty");
    }

    @Test
    void aSecretFileWithTheWrongFormatDoesNotEchoItsContent() throws IOException {
      Path f = dir.resolve("signing");
      Files.writeString(f, "super-secret-but-not-whsec\n");
      String msg = error(ghSource("""
                destinations:
                  - { url: "http://127.0.0.1:9000/a", signingSecret: "file:%s" }
            """.formatted(f)));
      assertThat(msg).startsWith("sources[0].destinations[0].signingSecret: ").doesNotContain("super-secret");
    }

    @Test
    void fileIsOnlyASecretReference() {
      // For a non-secret field "file:..." is just a string, not a file read.
      assertThat(load("redis: { keyPrefix: \"file:x\" }\n").redis().keyPrefix()).isEqualTo("file:x");
    }
  }

  @Nested
  class EnvironmentOverrides {
    @Test
    void hooklineVariablesWinOverTheYaml() {
      HooklineConfig c = load("""
          http: { port: 8080, maxBodyBytes: 1024 }
          management: { port: 9090 }
          log: { level: info }
          sources:
            - id: gh
              provider: github
              secrets: ["from-yaml"]
            - id: my-shop
              provider: shopify
              secrets: ["shop-yaml"]
          """, Map.of(
          "HOOKLINE_HTTP_PORT", "8181",
          "HOOKLINE_HTTP_MAX_BODY_BYTES", "2048",
          "HOOKLINE_MANAGEMENT_PORT", "9191",
          "HOOKLINE_LOG_LEVEL", "debug",
          "HOOKLINE_DATA_DIR", "/var/lib/hookline",
          "HOOKLINE_SOURCES_GH_SECRETS", "new-one, old-one",
          "HOOKLINE_SOURCES_MY_SHOP_DEDUP_TTL", "1h"));
      assertThat(c.http().port()).isEqualTo(8181);
      assertThat(c.http().maxBodyBytes()).isEqualTo(2048);
      assertThat(c.source("gh").maxBodyBytes()).as("sources inherit the overridden limit").isEqualTo(2048);
      assertThat(c.management().port()).isEqualTo(9191);
      assertThat(c.log().level()).isEqualTo("debug");
      assertThat(c.dataDir()).isEqualTo("/var/lib/hookline");
      assertThat(c.source("gh").secrets()).extracting(Secret::value).containsExactly("new-one", "old-one");
      assertThat(c.source("my-shop").secrets()).extracting(Secret::value).containsExactly("shop-yaml");
      assertThat(c.source("my-shop").dedupTtl()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void overridesWorkWithoutAYamlSectionAndSetUrls() {
      HooklineConfig c = load("", Map.of(
          "HOOKLINE_REDIS_URL", "redis://127.0.0.1:6380",
          "HOOKLINE_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5433/x",
          "HOOKLINE_MANAGEMENT_ADMIN_TOKEN", "tok"));
      assertThat(c.redis().url()).isEqualTo("redis://127.0.0.1:6380");
      assertThat(c.postgres().url()).isEqualTo("postgresql://postgres@127.0.0.1:5433/x");
      assertThat(c.management().adminToken().value()).isEqualTo("tok");
      assertThat(c.embedded()).isFalse();
    }

    @Test
    void overriddenValuesAreValidatedAndNameTheField() {
      assertThat(error("", Map.of("HOOKLINE_HTTP_PORT", "http"))).startsWith("http.port: must be a whole number");
    }

    @Test
    void overrideSecretsCanBeFileReferences(@TempDir Path dir) throws IOException {
      Path f = dir.resolve("gh");
      Files.writeString(f, "from-file\n");
      HooklineConfig c = load(ghSource(""), Map.of("HOOKLINE_SOURCES_GH_SECRETS", "file:" + f));
      assertThat(c.source("gh").secrets()).extracting(Secret::value).containsExactly("from-file");
    }

    @Test
    void variablesOnlyReferencedAreNotOverrides() {
      // HOOKLINE_ADMIN_TOKEN is not HOOKLINE_<SECTION>_<KEY>; test-harness variables are skipped.
      HooklineConfig c = load("", Map.of("HOOKLINE_ADMIN_TOKEN", "x",
          "HOOKLINE_TEST_REDIS_URL", "redis://127.0.0.1:6379"));
      assertThat(c.management().adminToken()).isNull();
      assertThat(c.redis().url()).isNull();
    }
  }

  @Nested
  class Describe {
    @Test
    void theBootLogNeverContainsASecret(@TempDir Path dir) throws IOException {
      Path fileSecret = dir.resolve("shop");
      Files.writeString(fileSecret, "shopify-file-secret\n");
      Map<String, String> env = Map.of("GH_SECRET", "github-env-secret", "HOOKLINE_ADMIN_TOKEN", "admin-token-xyz",
          "HOOKLINE_SOURCES_STRIPE_SECRETS", "stripe-override-secret");
      HooklineConfig c = load("""
          management: { adminToken: "${HOOKLINE_ADMIN_TOKEN}" }
          redis: { url: "redis://:redis-pw-123@127.0.0.1:6379/0" }
          postgres: { url: "postgresql://hook:pg-pw-456@db.internal:5432/hookline?sslmode=require" }
          sources:
            - id: gh
              provider: github
              secrets: ["${GH_SECRET}", { value: literal-old-secret, notAfter: "2030-01-01T00:00:00Z" }]
              destinations:
                - url: "https://user:dest-pw-789@example.com/hook?token=dest-token-000&x=1"
                  signingSecret: "%s"
            - id: shop
              provider: shopify
              secrets: ["file:%s"]
            - id: stripe
              provider: stripe
              secrets: ["stripe-yaml-secret"]
          """.formatted(WHSEC, fileSecret), env);
      String described = c.describe();
      for (String secret : List.of("github-env-secret", "literal-old-secret", "shopify-file-secret",
          "stripe-override-secret", "stripe-yaml-secret", "admin-token-xyz", WHSEC, WHSEC.substring(6),
          "redis-pw-123", "pg-pw-456", "dest-pw-789", "dest-token-000")) {
        assertThat(described).as("describe() must not show " + secret).doesNotContain(secret);
      }
      // ...while still showing what an operator needs to check the config
      assertThat(described).contains("postgresql://hook:****@db.internal:5432/hookline", "sslmode=require",
          "redis://:****@127.0.0.1:6379/0", "example.com/hook", "source gh: provider=github secrets=2x****",
          "adminToken=****");
    }

    @Test
    void secretToStringIsMasked() {
      assertThat(Secret.of("s3cr3t").toString()).doesNotContain("s3cr3t");
      assertThat(load(ghSource("")).toString()).doesNotContain("gh-secret-value");
    }

    @Test
    void maskUrlHandlesPasswordsWithSpecialCharacters() {
      // An '@' or '/' in an unencoded password must not leak the part after it.
      assertThat(HooklineConfig.maskUrl("postgresql://u:p@ss@host/db")).isEqualTo("postgresql://u:****@host/db");
      assertThat(HooklineConfig.maskUrl("postgresql://u:pa/ss@host/db")).isEqualTo("postgresql://u:****@host/db");
      assertThat(HooklineConfig.maskUrl("postgresql://host/db?user=u&password=pw1")).isEqualTo(
          "postgresql://host/db?user=u&password=****");
      assertThat(HooklineConfig.maskUrl("postgresql://u@host/db")).isEqualTo("postgresql://u@host/db");
      assertThat(HooklineConfig.maskUrl("https://example.com/users/@me")).isEqualTo("https://example.com/users/@me");
      assertThat(HooklineConfig.maskUrl(null)).isEqualTo("(not configured)");
    }

    @Test
    void aBadUrlErrorDoesNotShowItsPassword() {
      String msg = error("""
          redis: { url: "http://:redis-pw-123@127.0.0.1:6379" }
          postgres: { url: "postgresql://postgres@127.0.0.1:5432/hookline" }
          """);
      assertThat(msg).startsWith("redis.url: ").doesNotContain("redis-pw-123");
      String pg = error("""
          redis: { url: "redis://127.0.0.1:6379" }
          postgres: { url: "postgresql://u:p@ss@/db" }
          """);
      assertThat(pg).startsWith("postgres.url: ").doesNotContain("ss@").doesNotContain("p@ss");
    }
  }

  @Nested
  class DeclaredModel {
    @Test
    void foldedSettingsHaveTheirDefaults() {
      HooklineConfig c = load("");
      assertThat(c.store().commitTimeout()).isEqualTo(Duration.ofSeconds(10));
      assertThat(c.management().replayRate()).isEqualTo(500);
      assertThat(c.retention().delivered()).isEqualTo(Duration.ofDays(30));
      assertThat(c.retention().dead()).isEqualTo(Duration.ofDays(90));
      assertThat(c.metrics().mode()).isEqualTo("default");
      assertThat(c.metrics().deadRefresh()).isEqualTo(Duration.ofSeconds(10));
      assertThat(c.http().drainQuiet()).isEqualTo(Duration.ofMillis(250));
      assertThat(c.nodeId()).isNotBlank();
    }

    @Test
    void newKeysAreValidatedAndNameTheField() {
      assertThat(error("management: { replayRate: 0 }\n")).startsWith("management.replayRate: must be between 1");
      assertThat(error("retention: { dead: forever }\n")).startsWith("retention.dead: must be a duration");
      assertThat(error("metrics: { mode: some }\n")).startsWith("metrics.mode: must be one of");
      assertThat(error("store: { duplicateWait: 5s }\n")).startsWith("store.duplicateWait: unknown key");
      assertThat(error("nodeId: \"a b\"\n")).startsWith("nodeId: must be");
    }

    @Test
    void anUnknownKeyInASourceNamesTheField() {
      assertThat(error(ghSource("    secrets2: [x]\n"))).startsWith("sources[0].secrets2: unknown key")
          .contains("secrets");
      assertThat(error(ghSource("""
              destinations:
                - { url: "http://127.0.0.1:9/x", retries: 3 }
          """))).startsWith("sources[0].destinations[0].retries: unknown key");
    }

    @Test
    void aSigningSecretMayBeUnpaddedBase64() {
      String unpadded = "whsec_" + Base64.getEncoder().withoutPadding().encodeToString("0123456789abcdef0".getBytes());
      assertThat(unpadded).doesNotEndWith("=");
      HooklineConfig c = load(ghSource("""
              destinations:
                - { url: "http://127.0.0.1:9/x", signingSecret: "%s" }
          """.formatted(unpadded)));
      assertThat(StandardWebhooksSecret.decode(c.source("gh").destinations().get(0).signingSecret().value()))
          .isEqualTo("0123456789abcdef0".getBytes());
    }

    @Test
    void recordsPrintNoPasswordsOrSecrets() {
      HooklineConfig c = load(ghSource("""
              destinations:
                - { url: "https://u:dest-pw@example.com/x?token=tok-123", signingSecret: "%s" }
          redis: { url: "redis://:redis-pw@127.0.0.1:6379" }
          postgres: { url: "postgresql://u:pg-pw@127.0.0.1:5432/x" }
          """.formatted(WHSEC)));
      String all = c.redis() + " " + c.postgres() + " " + c.source("gh").destinations() + " " + c.source("gh") + " " + c;
      assertThat(all).doesNotContain("redis-pw", "pg-pw", "dest-pw", "tok-123", WHSEC.substring(6), "gh-secret-value")
          .contains("redis://:****@127.0.0.1:6379");
    }
  }
}
