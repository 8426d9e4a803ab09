package io.hookline;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookline.testing.MainProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line as an operator meets it: {@code --help} on every command, usage errors exit 2. */
class CliHelpProcessTest {
  static final Duration WITHIN = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"run", "send", "check-config", "dead-letters", "replay"})
  void everyCommandHasHelp(String command) throws Exception {
    Path log = dir.resolve(command + ".log");
    assertThat(MainProcess.run(log, WITHIN, command, "--help")).isZero();
    assertThat(Files.readString(log)).startsWith("Usage: hookline " + command + " ").contains("--config=FILE");
  }

  @Test
  void topLevelHelpListsTheCommandsAndExitCodes() throws Exception {
    Path log = dir.resolve("help.log");
    assertThat(MainProcess.run(log, WITHIN, "--help")).isZero();
    assertThat(Files.readString(log)).contains("run", "send", "check-config", "dead-letters", "replay",
        "Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error");
  }

  @Test
  void anUnknownCommandOrOptionExitsTwo() throws Exception {
    Path log = dir.resolve("bogus.log");
    assertThat(MainProcess.run(log, WITHIN, "bogus")).isEqualTo(2);
    assertThat(Files.readString(log)).contains("'bogus'").contains("Usage: hookline");
    Path option = dir.resolve("option.log");
    assertThat(MainProcess.run(option, WITHIN, "send", "--no-such-option")).isEqualTo(2);
    assertThat(Files.readString(option)).contains("--no-such-option");
  }
}
