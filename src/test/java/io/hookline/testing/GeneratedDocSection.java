package io.hookline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A docs section generated from declarations (the config reference, the provider table) lies between
 * {@code <!-- NAME: ... -->} and {@code <!-- end NAME -->}: asserts it equals what the code generates,
 * or rewrites it when run with {@code -Dhookline.updateReadme=true}.
 */
public final class GeneratedDocSection {
  private GeneratedDocSection() {}

  public static void assertCurrent(String file, String name, String generated, String testClass) throws IOException {
    Path path = Path.of("docs", file);
    String text = Files.readString(path, StandardCharsets.UTF_8);
    int begin = text.indexOf("<!-- " + name + ":");
    int end = text.indexOf("<!-- end " + name + " -->");
    assertThat(begin).as("docs/%s has the %s markers", file, name).isGreaterThanOrEqualTo(0);
    assertThat(end).as("docs/%s has the end %s marker", file, name).isGreaterThan(begin);
    int from = text.indexOf('\n', begin) + 1;
    String current = text.substring(from, end);
    if (!current.equals(generated) && Boolean.getBoolean("hookline.updateReadme")) {
      Files.writeString(path, text.substring(0, from) + generated + text.substring(end), StandardCharsets.UTF_8);
      return;
    }
    assertThat(current).as("docs/%s's %s table (regenerate: mvn test -Dtest=%s -Dhookline.updateReadme=true)",
        file, name, testClass).isEqualTo(generated);
  }
}
