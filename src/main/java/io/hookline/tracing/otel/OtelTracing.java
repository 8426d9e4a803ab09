package io.hookline.tracing.otel;

import io.hookline.config.HooklineConfig;
import io.hookline.tracing.AttemptTrace;
import io.hookline.tracing.IngestTrace;
import io.hookline.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tracing with the OpenTelemetry SDK: parent-based ratio sampling, spans batched in memory and
 * exported over OTLP/HTTP by the batch processor's own thread (ending a span only enqueues it, so
 * no event loop waits for the collector; a full queue drops spans, never requests).
 */
public final class OtelTracing implements Tracing {
  static final AttributeKey<String> SOURCE = AttributeKey.stringKey("hookline.source");
  static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("hookline.destination");
  static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("hookline.event_id");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("hookline.attempt");
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> URL = AttributeKey.stringKey("url.full");
  private static final String ROUTE_TEMPLATE = "/webhooks/{source}";
  private static final String INGEST_SPAN = "POST " + ROUTE_TEMPLATE;
  private static final int MAX_QUEUED_SPANS = 16_384;

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final java.util.Map<String, String> maskedUrls = new java.util.HashMap<>();

  private OtelTracing(SdkTracerProvider provider, HooklineConfig config) {
    this.provider = provider;
    this.tracer = provider.get("io.hookline");
    for (HooklineConfig.SourceConfig s : config.sources()) {
      for (HooklineConfig.DestinationConfig d : s.destinations()) {
        maskedUrls.put(s.id() + '\u0000' + d.id(), HooklineConfig.maskUrl(d.url()));
      }
    }
  }

  /** Builds the SDK; the wiring calls it only when {@code tracing.otlpEndpoint} is set. */
  public static Tracing of(HooklineConfig config) {
    HooklineConfig.Tracing t = config.tracing();
    String endpoint = t.otlpEndpoint().replaceAll("/+$", "");
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(endpoint + "/v1/traces").build();
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), t.serviceName(),
        AttributeKey.stringKey("service.instance.id"), config.nodeId())));
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(resource)
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(t.sampleRatio())))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter)
            .setScheduleDelay(t.exportDelay().toMillis(), TimeUnit.MILLISECONDS)
            // About a second of spans at a few thousand events/s; beyond it spans are dropped, never waited for.
            .setMaxQueueSize(MAX_QUEUED_SPANS).build())
        .build();
    return new OtelTracing(provider, config);
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public IngestTrace ingest(String sourceId, String incomingTraceparent) {
    Span span = tracer.spanBuilder(INGEST_SPAN)
        .setParent(parent(incomingTraceparent))
        .setSpanKind(SpanKind.SERVER)
        .setAttribute(METHOD, "POST")
        .setAttribute(ROUTE, ROUTE_TEMPLATE)
        .setAttribute(SOURCE, sourceId)
        .startSpan();
    return new OtelIngestTrace(span);
  }

  @Override
  public AttemptTrace attempt(String eventTraceparent, String sourceId, String destinationId, String eventId,
                              int attempt) {
    Span span = tracer.spanBuilder("deliver " + sourceId + "/" + destinationId)
        .setParent(parent(eventTraceparent))
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute(METHOD, "POST")
        .setAttribute(SOURCE, sourceId)
        .setAttribute(DESTINATION, destinationId)
        .setAttribute(EVENT_ID, eventId)
        .setAttribute(ATTEMPT, (long) attempt)
        .setAttribute(URL, maskedUrls.get(sourceId + '\u0000' + destinationId))
        .startSpan();
    return new AttemptTrace() {
      @Override
      public String traceparent() {
        return OtelTracing.traceparent(span.getSpanContext());
      }

      @Override
      public void end(int statusCode, String error) {
        if (statusCode > 0) {
          span.setAttribute(STATUS, (long) statusCode);
        }
        if (statusCode / 100 != 2) {
          span.setStatus(StatusCode.ERROR, error != null ? error : "HTTP " + statusCode);
        }
        span.end();
      }
    };
  }

  @Override
  public void close() {
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }

  private final class OtelIngestTrace implements IngestTrace {
    private final Span span;
    private final Context context;

    OtelIngestTrace(Span span) {
      this.span = span;
      this.context = Context.root().with(span);
    }

    @Override
    public Step step(String name) {
      Span child = tracer.spanBuilder(name).setParent(context).startSpan();
      return child::end;
    }

    @Override
    public void eventId(String id) {
      span.setAttribute(EVENT_ID, id);
    }

    @Override
    public String traceparent() {
      return OtelTracing.traceparent(span.getSpanContext());
    }

    @Override
    public void end(int statusCode) {
      span.setAttribute(STATUS, (long) statusCode);
      if (statusCode >= 500) {
        span.setStatus(StatusCode.ERROR);
      }
      span.end();
    }
  }

  /** A W3C traceparent (null, malformed or unsupported = a new root trace). */
  private static Context parent(String traceparent) {
    if (traceparent == null) {
      return Context.root();
    }
    return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, TRACEPARENT_ONLY);
  }

  static String traceparent(SpanContext c) {
    if (!c.isValid()) {
      return null;
    }
    return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
  }

  private static final TextMapGetter<String> TRACEPARENT_ONLY = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(String carrier) {
      return List.of("traceparent");
    }

    @Override
    public String get(String carrier, String key) {
      return "traceparent".equals(key) ? carrier : null;
    }
  };
}
