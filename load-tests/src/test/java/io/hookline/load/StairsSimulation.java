package io.hookline.load;

import static io.gatling.javaapi.core.CoreDsl.crashLoadGeneratorIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.incrementUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.stopLoadGeneratorIf;

import io.gatling.javaapi.core.ChainBuilder;

/**
 * Stairs: the arrival rate rises level by level ({@code startRate}, + {@code step} each level of
 * {@code levelSeconds}, with {@code rampSeconds} ramps between) until a level's ack p99 passes
 * {@code p99Ms} or more than {@code maxErrorPct} of its requests fail; the last level that held is the
 * capacity. The run then stops by itself and prints the level table. With {@code minCapacity} set,
 * a capacity below it fails the run.
 *
 * <p>{@code -DstartRate=500 -Dstep=500 -Dlevels=20 -DlevelSeconds=10 -DrampSeconds=2 -Dp99Ms=25
 * -DmaxErrorPct=0.1 -DminCapacity=0}
 */
public class StairsSimulation extends HooklineSimulation {
  final double startRate = Params.number("startRate", 500);
  final double step = Params.number("step", 500);
  final int levels = Params.integer("levels", 20);
  final int levelSeconds = Params.integer("levelSeconds", 10);
  final int rampSeconds = Params.integer("rampSeconds", 2);
  final int size = Params.integer("size", 2048);
  final double p99 = Params.number("p99Ms", 25);
  final double maxErrorPct = Params.number("maxErrorPct", 0.1);
  final double minCapacity = Params.number("minCapacity", 0);
  final StairsTracker tracker = new StairsTracker(startRate, step, levels, levelSeconds, rampSeconds, p99, maxErrorPct);

  {
    ChainBuilder chain = exec(
        crashLoadGeneratorIf(session -> tracker.stopMessage() + " (below minCapacity " + (long) minCapacity + "/s)",
            session -> tracker.shouldStop() && tracker.capacity() < minCapacity),
        stopLoadGeneratorIf(session -> tracker.stopMessage(), session -> tracker.shouldStop()),
        group("stairs").on(Webhooks.validMixTracked(sources, baseUrl, size, tracker)));
    setUp(withWarmup(scenario("stairs")
            .exec(chain)
            .injectOpen(incrementUsersPerSec(step).times(levels).eachLevelLasting(levelSeconds)
                .separatedByRampsLasting(rampSeconds).startingFrom(startRate)), startRate, size))
        .protocols(Webhooks.protocol(baseUrl));
  }

  @Override
  public void after() {
    tracker.close();
    System.out.println("[hookline-load] stairs levels (ack latency per level; threshold p99 " + p99 + " ms):");
    System.out.print(tracker.table());
    System.out.println("[hookline-load] " + (tracker.capacity() < 0
        ? "stairs ended before a verdict (duration cut short?)"
        : "CAPACITY " + (long) tracker.capacity() + " accepted events/s — " + tracker.stopMessage()));
  }
}
