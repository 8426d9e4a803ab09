package io.hookline.load;

import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.List;

/**
 * Parameters every simulation shares, and the optional warm-up. Measured traffic runs inside a
 * group named after the simulation, warm-up traffic in the group {@code warm-up}; assertions look
 * at the measured group only, so a JIT warm-up never counts against the budget.
 *
 * <p>Common parameters: {@code baseUrl}, {@code sources}, {@code rate} (events/s),
 * {@code duration} (s), {@code size} (body bytes), {@code warmup} (s of traffic ramping up to
 * {@code rate} before measuring, default 0), {@code minSuccessPct}, {@code p99Ms}.
 */
public abstract class HooklineSimulation extends Simulation {
  protected final String baseUrl = Params.baseUrl();
  protected final List<Source> sources = Source.fromParams();
  protected final int warmup = Params.integer("warmup", 0);

  protected PopulationBuilder withWarmup(PopulationBuilder measured, double rate, int size) {
    if (warmup <= 0) {
      return measured;
    }
    return scenario("warm-up")
        .exec(group("warm-up").on(Webhooks.validMix(sources, baseUrl, size, "warm-up ")))
        .injectOpen(rampUsersPerSec(Math.max(1, rate / 20)).to(rate).during(warmup))
        .andThen(measured);
  }

  @Override
  public void before() {
    System.out.println("[hookline-load] " + getClass().getSimpleName() + " against " + baseUrl + " sources="
        + sources.stream().map(s -> s.id() + "(" + s.provider() + ")").toList());
    System.out.println("[hookline-load] " + Params.describe());
  }
}
