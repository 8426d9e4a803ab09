package io.hookline.cli;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.verify.Provider;
import io.hookline.verify.provider.Providers;
import picocli.CommandLine.Command;

/**
 * {@code hookline check-config}: validates the configuration (verifiers included) and shows it,
 * secrets masked, then each source's provider with the provider's own documentation link.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
    description = "Validate the configuration and print it with every secret masked, and each source's provider with its doc link.")
public final class CheckConfigCommand extends ConfiguredCommand {
  @Override
  protected int run(HooklineConfig config) {
    StringBuilder b = new StringBuilder("configuration OK\n").append(config.describe());
    if (!config.sources().isEmpty()) {
      b.append("\nproviders:");
      for (SourceConfig s : config.sources()) {
        Provider p = Providers.find(s.provider());
        b.append("\n  ").append(s.id()).append(": ").append(s.provider())
            .append(p == null ? "" : " (" + p.docs() + ")");
      }
    }
    out.println(b);
    return 0;
  }
}
