package io.hookline.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Burst: a provider retry storm. {@code calmSeconds} at {@code rate}, then {@code burstFactor}×
 * {@code rate} for {@code burstSeconds}, then {@code calmSeconds} at {@code rate} again (recovery).
 * A 503 + Retry-After under overload is the contract, but it counts as a failed request here: the
 * assertion says how many the storm may cost.
 *
 * <p>{@code -Drate=300 -DburstFactor=10 -DburstSeconds=30 -DcalmSeconds=15 -DminSuccessPct=99 -Dp99Ms=2000}
 */
public class BurstSimulation extends HooklineSimulation {
  final double rate = Params.rate(300);
  final double factor = Params.number("burstFactor", 10);
  final int burstSeconds = Params.integer("burstSeconds", Params.integer("duration", 30));
  final int calmSeconds = Params.integer("calmSeconds", 15);
  final int size = Params.integer("size", 2048);
  final double minSuccess = Params.number("minSuccessPct", 99.0);
  final int p99 = Params.integer("p99Ms", 2000);

  {
    setUp(withWarmup(scenario("burst")
            .exec(group("burst").on(Webhooks.validMix(sources, baseUrl, size, "")))
            .injectOpen(
                constantUsersPerSec(rate).during(calmSeconds).randomized(),
                constantUsersPerSec(rate * factor).during(burstSeconds).randomized(),
                constantUsersPerSec(rate).during(calmSeconds).randomized()), rate, size))
        .protocols(Webhooks.protocol(baseUrl))
        .assertions(
            details("burst").successfulRequests().percent().gte(minSuccess),
            details("burst").responseTime().percentile(99.0).lt(p99));
  }
}
