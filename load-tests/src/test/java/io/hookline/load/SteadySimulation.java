package io.hookline.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Steady: an open model at a constant arrival rate (Poisson arrivals), every event newly signed,
 * spread uniformly over the configured sources (mixed providers).
 *
 * <p>{@code -Drate=500 -Dduration=60 -Dsize=2048 -DminSuccessPct=99.9 -Dp99Ms=25}
 */
public class SteadySimulation extends HooklineSimulation {
  final double rate = Params.rate(200);
  final int duration = Params.duration(60);
  final int size = Params.integer("size", 2048);
  final double minSuccess = Params.number("minSuccessPct", 99.9);
  final int p99 = Params.integer("p99Ms", 25);

  {
    setUp(withWarmup(scenario("steady")
            .exec(group("steady").on(Webhooks.validMix(sources, baseUrl, size, "")))
            .injectOpen(constantUsersPerSec(rate).during(duration).randomized()), rate, size))
        .protocols(Webhooks.protocol(baseUrl))
        .assertions(
            details("steady").successfulRequests().percent().gte(minSuccess),
            details("steady").responseTime().percentile(99.0).lt(p99));
  }
}
