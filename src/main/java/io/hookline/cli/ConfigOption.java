package io.hookline.cli;

import io.hookline.config.ConfigLoader;
import io.hookline.config.HooklineConfig;
import io.hookline.expression.DestinationExpressions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by every command. */
public final class ConfigOption {
  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML configuration (default: ./hookline.yaml if present, else the defaults)")
  Path file;

  /**
   * Loads the configuration from {@code --config} (or ./hookline.yaml), with {@code env} for
   * overrides and references, and sets the log properties before anything logs.
   */
  public HooklineConfig load(Map<String, String> env) {
    HooklineConfig config;
    if (file != null) {
      config = ConfigLoader.fromFile(file, env);
    } else if (Files.isRegularFile(Path.of("hookline.yaml"))) {
      config = ConfigLoader.fromFile(Path.of("hookline.yaml"), env);
    } else {
      config = new ConfigLoader(env).load("");
    }
    // CEL filters and transforms are part of the configuration: a bad one is a configuration error here too.
    DestinationExpressions.compileAll(config);
    // Logback reads these once, when the first Logger is created: set them before any class that logs is touched.
    System.setProperty("hookline.log.format", config.log().format());
    System.setProperty("hookline.log.level", config.log().level().toUpperCase(Locale.ROOT));
    return config;
  }

  /** Takes the parent command's {@code --config} when this one has none ({@code hookline --config x run}). */
  void inherit(ConfigOption parent) {
    if (file == null) {
      file = parent.file;
    }
  }
}
