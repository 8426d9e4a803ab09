package io.hookline.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Hostile: valid traffic mixed with invalid signatures, stale timestamps, missing and malformed
 * signature headers, oversize bodies and unknown sources ({@code hostilePct} of all requests, the
 * kinds in equal shares). Every hostile request must get its exact rejection (400/401/404/413 with
 * the right reason), and the valid traffic (group {@code valid}) must stay within its budget.
 *
 * <p>{@code -Drate=400 -Dduration=60 -DhostilePct=50 -DoversizeBytes=1049600 -DminSuccessPct=99.9 -Dp99Ms=25}
 * ({@code oversizeBytes} must exceed the sources' maxBodyBytes; the default is 1 MiB + 1 KiB.)
 */
public class HostileSimulation extends HooklineSimulation {
  final double rate = Params.rate(400);
  final int duration = Params.duration(60);
  final int size = Params.integer("size", 2048);
  final double hostilePct = Params.number("hostilePct", 50);
  final int oversizeBytes = Params.integer("oversizeBytes", 1_049_600);
  final double minSuccess = Params.number("minSuccessPct", 99.9);
  final int p99 = Params.integer("p99Ms", 25);

  {
    setUp(withWarmup(scenario("hostile")
            .exec(Webhooks.mixedWithHostile(sources, baseUrl, size, oversizeBytes, hostilePct))
            .injectOpen(constantUsersPerSec(rate).during(duration).randomized()), rate, size))
        .protocols(Webhooks.protocol(baseUrl))
        .assertions(
            details("valid").successfulRequests().percent().gte(minSuccess),
            details("valid").responseTime().percentile(99.0).lt(p99),
            details("hostile").successfulRequests().percent().gte(minSuccess));
  }
}
