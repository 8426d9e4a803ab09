package io.hookline.load;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Duplicates: every event is sent {@code copies} times at the same moment (as concurrent HTTP
 * requests, like a provider retrying while its first attempt is still in flight). Each copy must
 * get 200; per event exactly one copy says {@code duplicate:false} and all carry the same id. The
 * final request {@code duplicate invariant} fails if any event broke that.
 *
 * <p>{@code -Drate=100 (events/s) -Dduration=60 -Dcopies=3 -DminSuccessPct=99.9 -Dp99Ms=50}
 */
public class DuplicatesSimulation extends HooklineSimulation {
  final double rate = Params.rate(100);
  final int duration = Params.duration(60);
  final int copies = Params.integer("copies", 3);
  final int size = Params.integer("size", 2048);
  final double minSuccess = Params.number("minSuccessPct", 99.9);
  final int p99 = Params.integer("p99Ms", 50);
  static final DuplicateLedger LEDGER = new DuplicateLedger();

  /** One event per virtual user, its copies fired concurrently (Gatling resources run in parallel). */
  static ChainBuilder concurrentCopies(Source s, String baseUrl, int size, int copies) {
    Set<String> names = Webhooks.headerNames(s);
    List<HttpRequestActionBuilder> copyRequests = new ArrayList<>();
    for (int i = 1; i <= copies; i++) {
      copyRequests.add(Webhooks.post("copy", s, names)
          .check(status().saveAs("status"))
          .check(bodyString().transformWithSession((body, session) ->
              LEDGER.record(session.getString(Webhooks.EVENT_ID), session.contains("status")
                  ? session.getInt("status") : 200, body)).is(true))
          .check(status().is(200)));
    }
    return exec(session -> Webhooks.prepare(session, s, baseUrl, size, s.secret(), 0))
        // A trivial main request; the copies are its resources, which Gatling sends concurrently.
        .exec(http("duplicates: fan-out").get("/health/live")
            .resources(copyRequests.toArray(new HttpRequestActionBuilder[0])));
  }

  static ChainBuilder mix(List<Source> sources, String baseUrl, int size, int copies) {
    List<ChainBuilder> chains = new ArrayList<>();
    for (Source s : sources) {
      chains.add(concurrentCopies(s, baseUrl, size, copies));
    }
    return chains.size() == 1 ? chains.get(0) : io.gatling.javaapi.core.CoreDsl.uniformRandomSwitch().on(chains);
  }

  static ChainBuilder invariantCheck() {
    return exec(http("duplicate invariant").get("/health/live")
        .check(status().is(200), bodyString().transform(b -> LEDGER.violations()).is(0L)));
  }

  {
    setUp(withWarmup(scenario("duplicates")
            .exec(group("duplicates").on(mix(sources, baseUrl, size, copies)))
            .injectOpen(constantUsersPerSec(rate).during(duration).randomized())
            .andThen(scenario("invariant").exec(invariantCheck()).injectOpen(atOnceUsers(1))), rate, size))
        .protocols(Webhooks.protocol(baseUrl))
        .assertions(
            // Per copy, not the group: the group would add up the concurrent copies' times.
            details("duplicates", "copy").successfulRequests().percent().gte(minSuccess),
            details("duplicates", "copy").responseTime().percentile(99.0).lt(p99),
            details("duplicate invariant").successfulRequests().percent().is(100.0));
  }
}
