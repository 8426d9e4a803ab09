package io.hookline.cli;

import io.hookline.config.HooklineConfig;
import io.hookline.config.HooklineConfig.SourceConfig;
import io.hookline.verify.VerifierSpec;
import io.hookline.verify.provider.Verifiers;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that works on the loaded configuration. Its exit code: 0 ok, 1 runtime failure,
 * 2 usage or configuration error (a {@link io.hookline.config.ConfigException}, reported by
 * {@link Cli} as one line naming the field).
 */
public abstract class ConfiguredCommand implements Callable<Integer> {
  @Mixin
  ConfigOption configOption = new ConfigOption();
  @Spec
  CommandSpec spec;
  Map<String, String> env = Map.of();
  PrintStream out = System.out;

  @Override
  public final Integer call() throws Exception {
    HooklineConfig config = configOption.load(env);
    if (checksVerifiers()) {
      // Provider options and secret formats are checked when the verifiers are built: do it here,
      // so those errors read exactly like the loader's (one line naming the field, exit 2).
      for (SourceConfig s : config.sources()) {
        Verifiers.create(VerifierSpec.of(s));
      }
    }
    return run(config);
  }

  /** Runs on a configuration already loaded and checked. */
  protected abstract int run(HooklineConfig config) throws Exception;

  /** Whether the sources' verifiers are built (and so checked) before {@link #run}. */
  protected boolean checksVerifiers() {
    return true;
  }

  void inheritConfig(ConfigOption parent) {
    configOption.inherit(parent);
  }

  /** A usage error (exit 2) with this command's name and usage. */
  protected CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /**
   * Parses {@code args} into {@code command} and runs it on {@code config} (for callers that hold
   * a configuration already, such as tests). Usage errors are printed to {@code out}, exit 2.
   */
  public static int execute(ConfiguredCommand command, HooklineConfig config, PrintStream out, String... args)
      throws Exception {
    command.out = out;
    CommandLine cl = new CommandLine(command);
    try {
      cl.parseArgs(args);
      return command.run(config);
    } catch (CommandLine.ParameterException e) {
      out.println(cl.getCommandName() + ": " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
  }
}
