package io.hookline.bench;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.hookline.verify.Verification;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same signed payloads through the official SDK verifiers a Java team would otherwise use,
 * next to Hookline's verifier for the same scheme, in the same fork:
 * <ul>
 *   <li>stripe-java: {@code Webhook.Signature.verifyHeader} (signature only) and
 *       {@code Webhook.constructEvent} (signature + Gson parse into an {@code Event}, what the
 *       Stripe docs tell users to call);</li>
 *   <li>Standard Webhooks Java ({@code com.standardwebhooks:standardwebhooks}):
 *       {@code Webhook.verify(payload, headers)}.</li>
 * </ul>
 * The SDKs take the payload as a {@code String}; it is decoded once in setup, which favours them
 * (a server would decode the received bytes per request). Hookline reads the bytes as received and
 * also extracts the event id and type.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class SdkBenchmark {
  @Param({"512", "2048", "16384", "262144"})
  public int size;

  private Fixture stripe;
  private String stripePayload;
  private String stripeHeader;
  private Clock stripeClock;

  private Fixture standard;
  private String standardPayload;
  private Map<String, List<String>> standardHeaders;
  private com.standardwebhooks.Webhook standardSdk;

  /** Re-signed every iteration: the Standard Webhooks SDK checks the timestamp against the wall clock. */
  @Setup(Level.Iteration)
  public void setUp() throws Exception {
    long now = System.currentTimeMillis();
    stripe = Fixture.create("stripe", size, now);
    stripePayload = new String(stripe.request.body(), StandardCharsets.UTF_8);
    stripeHeader = stripe.request.header("Stripe-Signature");
    stripeClock = Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC);
    if (!Webhook.Signature.verifyHeader(stripePayload, stripeHeader, Fixture.STRIPE_SECRET, 300, stripeClock)) {
      throw new IllegalStateException("stripe-java refuses the fixture");
    }

    standard = Fixture.create("standard-v1", size, now);
    standardPayload = new String(standard.request.body(), StandardCharsets.UTF_8);
    standardHeaders = new LinkedHashMap<>();
    for (String name : List.of("Host", "User-Agent", "Accept", "Content-Type", "Content-Length", "X-Forwarded-For",
        "X-Forwarded-Proto", "Accept-Encoding", "webhook-id", "webhook-timestamp", "webhook-signature")) {
      standardHeaders.put(name, List.of(standard.request.header(name)));
    }
    standardSdk = new com.standardwebhooks.Webhook(Fixture.STANDARD_SECRET);
    standardSdk.verify(standardPayload, standardHeaders);
  }

  @Benchmark
  public Verification stripeHookline() {
    return stripe.verifier.verify(stripe.request);
  }

  @Benchmark
  public boolean stripeSdkVerifyHeader() throws SignatureVerificationException {
    return Webhook.Signature.verifyHeader(stripePayload, stripeHeader, Fixture.STRIPE_SECRET, 300, stripeClock);
  }

  @Benchmark
  public Event stripeSdkConstructEvent() throws SignatureVerificationException {
    return Webhook.constructEvent(stripePayload, stripeHeader, Fixture.STRIPE_SECRET, 300, stripeClock);
  }

  @Benchmark
  public Verification standardHookline() {
    return standard.verifier.verify(standard.request);
  }

  @Benchmark
  public Map<String, List<String>> standardSdkVerify() throws WebhookVerificationException {
    standardSdk.verify(standardPayload, standardHeaders);
    return standardHeaders;
  }
}
