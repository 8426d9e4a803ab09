package io.hookline.load;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Smoke (for CI, a few seconds): a little of every other simulation at once — steady mixed
 * providers, concurrent duplicates, every hostile kind, large payloads — so all scripts' code paths
 * run against a real node and none of them rots. Not a measurement.
 *
 * <p>{@code -Dduration=5 -Drate=20}
 */
public class SmokeSimulation extends HooklineSimulation {
  final double rate = Params.rate(20);
  final int duration = Params.duration(5);
  final int oversizeBytes = Params.integer("oversizeBytes", 1_049_600);

  {
    setUp(
        scenario("steady").exec(group("steady").on(Webhooks.validMix(sources, baseUrl, 2048, "")))
            .injectOpen(constantUsersPerSec(rate).during(duration)),
        scenario("duplicates").exec(group("duplicates").on(DuplicatesSimulation.mix(sources, baseUrl, 2048, 3)))
            .injectOpen(constantUsersPerSec(Math.max(1, rate / 4)).during(duration))
            .andThen(scenario("invariant").exec(DuplicatesSimulation.invariantCheck()).injectOpen(atOnceUsers(1))),
        scenario("hostile").exec(group("hostile").on(Webhooks.hostileMix(sources, baseUrl, 2048, oversizeBytes)))
            .injectOpen(constantUsersPerSec(Math.max(1, rate / 2)).during(duration)),
        scenario("large").exec(group("large").on(Webhooks.validMix(sources, baseUrl, 262_144, "large ")))
            .injectOpen(constantUsersPerSec(Math.max(1, rate / 10)).during(duration)))
        .protocols(Webhooks.protocol(baseUrl))
        .assertions(
            global().successfulRequests().percent().is(100.0),
            details("duplicate invariant").successfulRequests().percent().is(100.0));
  }
}
