package io.hookline;

import io.hookline.cli.Cli;
import java.util.Map;

/**
 * {@code java -jar hookline.jar [run] [--config FILE]} runs a node; {@code send}, {@code check-config},
 * {@code dead-letters} and {@code replay} are the other commands ({@code --help} on each). The
 * process environment is read here, once, and handed down.
 */
public final class Main {
  private Main() {}

  public static void main(String[] argv) {
    Map<String, String> env = System.getenv();
    RunCommand run = new RunCommand();
    int exit = Cli.commandLine(env, System.out, System.err, run).execute(argv);
    if (run.stoppedBySignal()) {
      return; // the JVM is shutting down already (SIGTERM); System.exit would wait for itself
    }
    System.exit(exit);
  }
}
