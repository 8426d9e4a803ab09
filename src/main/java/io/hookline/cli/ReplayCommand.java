package io.hookline.cli;

import static io.hookline.cli.DeliveryTables.await;

import io.hookline.config.ConfigLoader;
import io.hookline.config.HooklineConfig;
import io.hookline.store.DeliveryStatus;
import io.hookline.store.Replays;
import io.hookline.store.Replays.Criteria;
import io.hookline.store.Replays.StartedJob;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Replay, straight against PostgreSQL (no running node needed; running workers pick replayed
 * deliveries up on their next poll):
 * <pre>
 *   replay --event UUID [--destination D]
 *   replay [--source S] [--destination D] [--status dead,gone] [--since 24h | --since 2026-11-01T00:00:00Z]
 *          [--until ISO-8601] [--limit N]      (at least one filter; --status defaults to dead)
 * </pre>
 * Replaying an event replays its dead and gone deliveries; with --destination, that one delivery
 * whatever it finished as (a deliberate re-send). Pending deliveries are never touched. The same
 * {@link Replays} as the admin API: a filtered replay is a replay job (its id is printed; the admin
 * API answers for it), run here at once in batches.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {"Replay finished deliveries: one event's (--event), or every one matching the filters.",
        "An event's dead and gone deliveries; with --destination that one delivery, whatever it finished as."})
public final class ReplayCommand extends ConfiguredCommand {
  @Option(names = "--event", paramLabel = "UUID", description = "the Hookline event id")
  String event;
  @Option(names = "--source", paramLabel = "S", description = "filter: this source")
  String source;
  @Option(names = "--destination", paramLabel = "D", description = "filter: this destination")
  String destination;
  @Option(names = "--status", paramLabel = "dead,gone", description = "filter: these statuses (default: dead)")
  String status;
  @Option(names = "--since", paramLabel = "24h|ISO", description = "filter: finished since a duration back from now or an instant")
  String since;
  @Option(names = "--until", paramLabel = "ISO", description = "filter: finished until this instant")
  String until;
  @Option(names = "--limit", paramLabel = "N", description = "at most N deliveries")
  Integer limit;

  @Override
  protected int run(HooklineConfig config) {
    // Arguments are checked before connecting: a usage error never needs PostgreSQL.
    UUID eventId = event == null ? null : eventId();
    if (eventId == null && source == null && destination == null && status == null && since == null && until == null) {
      // A bare "replay" must not mean "replay every dead letter": ask for at least one filter.
      throw usage("give --event UUID, or at least one filter: --source S, --destination D, "
          + "--status dead,gone, --since 24h|ISO, --until ISO (and optionally --limit N)");
    }
    OffsetDateTime sinceTime = time("since", since);
    OffsetDateTime untilTime = time("until", until);
    List<DeliveryStatus> statuses = finishedStatuses();
    return DeliveryTables.with("replay", config, out, stores -> {
      Replays replays = stores.replays();
      if (eventId != null) {
        Set<DeliveryStatus> from = destination == null ? EnumSet.of(DeliveryStatus.DEAD, DeliveryStatus.GONE)
            : DeliveryStatus.FINISHED;
        int n = await(replays.replayEvent(eventId, destination, from)).replayed();
        out.println("replayed " + n + " deliveries of event " + eventId
            + (n == 0 ? " (nothing finished to replay: unknown id, still pending, or all delivered)" : ""));
        return 0;
      }
      if (statuses.isEmpty()) {
        out.println("replayed 0 deliveries (pending deliveries are never replayed)");
        return 0;
      }
      Criteria criteria = new Criteria(source, destination, statuses, null, sinceTime, untilTime);
      StartedJob job = await(replays.startJob(UUID.randomUUID(), criteria,
          "cli:" + System.getProperty("user.name", "unknown"), "cli"));
      long n = await(replays.runToEnd(job, criteria, limit));
      out.println("replayed " + n + " deliveries (replay job " + job.id() + ", " + job.matched() + " matched)");
      return 0;
    });
  }

  /** --status as finished statuses (default dead); pending is left out: a replay never disturbs a lease. */
  private List<DeliveryStatus> finishedStatuses() {
    List<DeliveryStatus> out = new ArrayList<>();
    for (String s : (status == null ? DeliveryStatus.DEAD.value() : status).split(",")) {
      if (s.isBlank()) {
        continue;
      }
      DeliveryStatus parsed;
      try {
        parsed = DeliveryStatus.of(s.trim());
      } catch (IllegalArgumentException e) {
        throw usage("--status: " + e.getMessage());
      }
      if (parsed != DeliveryStatus.PENDING && !out.contains(parsed)) {
        out.add(parsed);
      }
    }
    return out;
  }

  private UUID eventId() {
    try {
      return UUID.fromString(event);
    } catch (IllegalArgumentException e) {
      throw usage("--event must be a Hookline event id (UUID), got '" + event + "'");
    }
  }

  /** A relative duration back from now (24h, 30m) or an ISO-8601 instant. */
  private OffsetDateTime time(String option, String v) {
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v);
    } catch (DateTimeParseException notIso) {
      try {
        return OffsetDateTime.now(ZoneOffset.UTC).minus(ConfigLoader.parseDuration(v));
      } catch (RuntimeException notDuration) {
        throw usage("--" + option + " must be a duration back from now (24h) or an ISO-8601 time, got '" + v + "'");
      }
    }
  }
}
