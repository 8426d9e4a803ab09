package io.hookline.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Large payloads: 256 KiB bodies (each signed over all its bytes, stored whole) at a constant rate.
 *
 * <p>{@code -Drate=20 -Dduration=60 -Dsize=262144 -DminSuccessPct=99.9 -Dp99Ms=250}
 */
public class LargePayloadSimulation extends HooklineSimulation {
  final double rate = Params.rate(20);
  final int duration = Params.duration(60);
  final int size = Params.integer("size", 262_144);
  final double minSuccess = Params.number("minSuccessPct", 99.9);
  final int p99 = Params.integer("p99Ms", 250);

  {
    setUp(withWarmup(scenario("large")
            .exec(group("large").on(Webhooks.validMix(sources, baseUrl, size, "")))
            .injectOpen(constantUsersPerSec(rate).during(duration).randomized()), rate, size))
        .protocols(Webhooks.protocol(baseUrl))
        .assertions(
            details("large").successfulRequests().percent().gte(minSuccess),
            details("large").responseTime().percentile(99.0).lt(p99));
  }
}
