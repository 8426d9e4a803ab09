package io.hookline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A verifier that throws is a bug: it gets a log line (its type and where it was thrown, never its
 * message, which may quote the request), rate-limited like rejections, with a summary of the rest.
 */
class RejectionLogTest {
  @Test
  void verifierExceptionsAreLoggedRateLimitedWithoutTheirMessage() throws Exception {
    String source = "verifier-test-" + System.nanoTime();
    Logger logger = (Logger) RejectionLog.LOG;
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    logger.addAppender(captured);
    try {
      for (int i = 0; i < 200; i++) {
        RejectionLog.verifierFailed(source, "github", new IllegalArgumentException("sha256=secret-looking-input"));
      }
      Pattern summary = Pattern.compile("rejected source=" + source + " reason=verifier_error: (\\d+) more");
      long deadline = System.nanoTime() + 10_000_000_000L;
      long lines;
      long summarised;
      do {
        RejectionLog.reportSuppressed(); // at most once a second, whoever calls it
        List<String> messages;
        synchronized (captured) {
          messages = captured.list.stream().map(ILoggingEvent::getFormattedMessage)
              .filter(m -> m.contains(source)).toList();
        }
        lines = messages.stream().filter(m -> m.startsWith("verifier error source=" + source)).count();
        summarised = 0;
        for (String m : messages) {
          Matcher s = summary.matcher(m);
          summarised += s.find() ? Long.parseLong(s.group(1)) : 0;
        }
        assertThat(messages).noneMatch(m -> m.contains("secret-looking-input"));
        if (lines + summarised == 200) {
          break;
        }
        Thread.sleep(50);
      } while (System.nanoTime() - deadline < 0);
      assertThat(lines + summarised).as("lines %d + summarised %d", lines, summarised).isEqualTo(200);
      assertThat(lines).isBetween(1L, 2L * RejectionLog.LINES_PER_SECOND_PER_KEY);
      synchronized (captured) {
        assertThat(captured.list.stream().map(ILoggingEvent::getFormattedMessage)
            .filter(m -> m.startsWith("verifier error source=" + source)).findFirst().orElseThrow())
            .contains("java.lang.IllegalArgumentException").contains("RejectionLogTest");
      }
    } finally {
      logger.detachAppender(captured);
    }
  }
}
