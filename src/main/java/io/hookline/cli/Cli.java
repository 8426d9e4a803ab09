package io.hookline.cli;

import io.hookline.config.ConfigException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code hookline run | send | sink | check-config | dead-letters | replay}; with no command it runs a node
 * ({@code java -jar hookline.jar --config x.yaml}). Exit codes: 0 ok, 1 runtime failure, 2 usage or
 * configuration error.
 */
@Command(name = "hookline", mixinStandardHelpOptions = true, version = "hookline 0.1.0",
    description = "High-throughput webhook receiver. With no command: run.",
    footer = "Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error.")
public final class Cli implements Callable<Integer> {
  @Mixin
  ConfigOption configOption = new ConfigOption();
  private final ConfiguredCommand run;

  private Cli(ConfiguredCommand run) {
    this.run = run;
  }

  /**
   * The command line over {@code env} (for overrides and references; never read from elsewhere),
   * writing to {@code out} and {@code err}; {@code run} is the node runner (it lives with the node wiring).
   */
  public static CommandLine commandLine(Map<String, String> env, PrintStream out, PrintStream err, ConfiguredCommand run) {
    Cli top = new Cli(run);
    CommandLine cl = new CommandLine(top);
    for (ConfiguredCommand c : new ConfiguredCommand[] {run, new SendCommand(), new CheckConfigCommand(),
        new DeadLettersCommand(), new ReplayCommand(), new SinkCommand()}) {
      c.env = env;
      c.out = out;
      cl.addSubcommand(c);
    }
    cl.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    cl.setExecutionStrategy(parsed -> {
      // Subcommands inherit the top-level --config (hookline --config x.yaml replay ...).
      for (CommandLine sub : parsed.asCommandLineList()) {
        if (sub.getCommand() instanceof ConfiguredCommand c) {
          c.inheritConfig(top.configOption);
        }
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    cl.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      if (e instanceof ConfigException) {
        err.println("hookline: configuration error: " + e.getMessage());
        return CommandLine.ExitCode.USAGE;
      }
      if (e instanceof CommandLine.ParameterException p) {
        throw p;
      }
      err.println("hookline " + commandLine.getCommandName() + ": failed: " + e);
      return CommandLine.ExitCode.SOFTWARE;
    });
    return cl;
  }

  @Override
  public Integer call() throws Exception {
    run.inheritConfig(configOption);
    return run.call();
  }
}
