package io.hookline.cli;

import io.hookline.config.HooklineConfig;
import picocli.CommandLine.Command;

/** {@code hookline check-config}: validates the configuration (verifiers included) and shows it, secrets masked. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
    description = "Validate the configuration and print it with every secret masked.")
public final class CheckConfigCommand extends ConfiguredCommand {
  @Override
  protected int run(HooklineConfig config) {
    out.println("configuration OK\n" + config.describe());
    return 0;
  }
}
