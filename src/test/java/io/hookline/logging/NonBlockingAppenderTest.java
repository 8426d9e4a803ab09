package io.hookline.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * stdout stuck (a log pipe nobody reads): an event loop that logs is never held up; what does not
 * fit the queue is dropped and counted exactly. Lines from other threads are written before the
 * call returns.
 */
class NonBlockingAppenderTest {
  /** A console that does not take a line until released. */
  static final class StuckConsole extends AppenderBase<ILoggingEvent> {
    final CountDownLatch released = new CountDownLatch(1);
    final List<String> written = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent e) {
      try {
        released.await();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      written.add(e.getFormattedMessage());
    }
  }

  @Test
  void anEventLoopNeverWaitsOnAStuckConsoleAndEveryDropIsCounted() throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    StuckConsole console = new StuckConsole();
    console.setContext(context);
    console.start();
    NonBlockingAppender async = new NonBlockingAppender();
    async.setContext(context);
    async.setQueueSize(16);
    async.addAppender(console);
    async.start();
    Logger log = context.getLogger("test");
    log.setAdditive(false);
    log.addAppender(async);
    Vertx vertx = Vertx.vertx();
    try {
      long droppedBefore = NonBlockingAppender.dropped();
      CompletableFuture<Void> logged = new CompletableFuture<>();
      vertx.runOnContext(v -> {
        for (int i = 0; i < 100; i++) {
          log.warn("line {}", i);
        }
        logged.complete(null);
      });
      // Returns although the console has not taken a single line.
      logged.get(30, TimeUnit.SECONDS);
      assertThat(console.written).isEmpty();
      long dropped = NonBlockingAppender.dropped() - droppedBefore;
      // 100 lines, a 16-line queue, and what the worker took before it got stuck (at most a queue more).
      assertThat(dropped).isBetween(100L - 2 * 16 - 1, 100L - 16);

      console.released.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (console.written.size() + dropped < 100 && System.nanoTime() - deadline < 0) {
        Thread.sleep(10);
      }
      assertThat(console.written.size() + dropped).isEqualTo(100);

      // Not an event loop: written before log.warn returns.
      log.warn("from the main thread");
      assertThat(console.written).last().isEqualTo("from the main thread");
    } finally {
      vertx.close().await();
      context.stop();
    }
  }
}
