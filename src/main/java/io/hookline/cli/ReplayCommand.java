package io.hookline.cli;

import static io.hookline.cli.DeliveryTables.await;

import io.hookline.config.ConfigLoader;
import io.hookline.config.HooklineConfig;
import io.hookline.delivery.DeliveryStore;
import io.hookline.delivery.DeliveryStore.ReplayFilter;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
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
 * whatever it finished as (a deliberate re-send).
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
    return DeliveryTables.with("replay", config, out, store -> {
      if (eventId != null) {
        int n = await(destination == null ? store.replayEvent(eventId) : store.replayDelivery(eventId, destination));
        out.println("replayed " + n + " deliveries of event " + eventId
            + (n == 0 ? " (nothing finished to replay: unknown id, still pending, or all delivered)" : ""));
        return 0;
      }
      Set<String> statuses = new LinkedHashSet<>(Arrays.asList((status == null ? DeliveryStore.DEAD : status).split(",")));
      statuses.removeIf(String::isBlank);
      int n = await(store.replay(new ReplayFilter(source, destination, statuses, sinceTime, untilTime, limit)));
      out.println("replayed " + n + " deliveries");
      return 0;
    });
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
