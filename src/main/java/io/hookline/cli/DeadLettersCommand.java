package io.hookline.cli;

import static io.hookline.cli.DeliveryTables.await;

import io.hookline.config.HooklineConfig;
import io.hookline.store.Deliveries.DeliveryQuery;
import io.hookline.store.Deliveries.DeliveryView;
import io.hookline.store.DeliveryStatus;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hookline dead-letters [--source S] [--destination D] [--limit 50]}, newest first. */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
    description = "List dead deliveries (attempts used up), newest first, from the deployment's PostgreSQL.")
public final class DeadLettersCommand extends ConfiguredCommand {
  @Option(names = "--source", paramLabel = "S", description = "only this source")
  String source;
  @Option(names = "--destination", paramLabel = "D", description = "only this destination")
  String destination;
  @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "at most N (default: ${DEFAULT-VALUE})")
  int limit;

  @Override
  protected int run(HooklineConfig config) {
    return DeliveryTables.with("dead-letters", config, out, stores -> {
      List<DeliveryView> dead = await(stores.deliveries().list(new DeliveryQuery(source, destination,
          Set.of(DeliveryStatus.DEAD), null, limit)));
      out.println(dead.size() + " dead deliveries (newest first" + (dead.size() == limit ? ", limited to " + limit : "") + ")");
      for (DeliveryView d : dead) {
        out.println(d.eventId() + "  " + d.sourceId() + " -> " + d.destinationId() + "  round " + d.round() + ", "
            + d.attempts() + " attempts, last " + d.updatedAt() + ": " + (d.lastError() == null ? "" : d.lastError()));
      }
      return 0;
    });
  }
}
