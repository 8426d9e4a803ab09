package io.hookline.metrics;

import io.hookline.requests.RequestLog;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code hookline_requests_not_stored_total{source,reason}}: refused requests the requests log counted
 * but did not keep. Label values are a configured source id and a verification reason, never request text.
 */
public final class RequestLogMeters implements RequestLog.NotStoredMeters {
  private final MeterRegistry registry;

  public RequestLogMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void register(String sourceId, String reason, LongAdder notStored) {
    FunctionCounter.builder("hookline.requests.not.stored", notStored, LongAdder::doubleValue)
        .description("Requests refused by verification that the requests log did not store (over "
            + "management.requestLog.perMinute, or its write buffer full)")
        .tag("source", sourceId).tag("reason", reason).register(registry);
  }
}
