package io.hookline.bench;

import io.hookline.verify.Verification;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole verification as the ingest path runs it: header parsing, HMAC (or Ed25519) over the
 * signed content, constant-time compare, tolerance check and event id/type extraction. Compare
 * with {@link FloorBenchmark} at the same size.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class VerifyBenchmark {
  /** {@link Fixture#SCHEMES}: every provider of the registry (JMH needs the values as constants). */
  @Param({"stripe", "github", "standard-v1", "standard-v1a", "shopify", "slack", "paddle", "hmac", "twilio", "basic", "apikey",
      "svix", "clerk", "resend", "gitlab", "bitbucket", "gitea", "linear", "intercom", "typeform", "calendly", "razorpay",
      "sentry", "vercel", "pagerduty", "mux", "lemonsqueezy", "coinbase", "box", "docusign", "discord", "sendgrid", "zoom",
      "twitch", "meta", "dropbox", "twitter", "msgraph", "okta", "mailgun", "hubspot", "square", "woocommerce"})
  public String scheme;

  @Param({"512", "2048", "16384", "262144"})
  public int size;

  private Fixture fixture;

  @Setup
  public void setUp() {
    fixture = Fixture.create(scheme, size, System.currentTimeMillis());
  }

  @Benchmark
  public Verification hookline() {
    return fixture.verifier.verify(fixture.request);
  }
}
