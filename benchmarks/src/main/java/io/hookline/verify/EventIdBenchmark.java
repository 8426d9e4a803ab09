package io.hookline.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.bench.BenchRequest;
import io.hookline.bench.Payloads;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Getting the provider's event id (and type) out of a request, three ways:
 * <ul>
 *   <li>{@code header}: from a header, as GitHub/Shopify/Standard Webhooks send it (the
 *       verifiers' header rules, then cleaning);</li>
 *   <li>{@code streamingScan}: Hookline's {@code JsonFields} over the body (one streaming pass,
 *       skipping subtrees, stopping once every field is found) for {@code /id} and {@code /type};</li>
 *   <li>{@code jacksonTree} / {@code vertxJsonObject}: parsing the whole document first (what a
 *       handler calling {@code readTree} or {@code new JsonObject(buffer)} does).</li>
 * </ul>
 * {@code position} puts the fields before the bulk of the body (Stripe, Paddle) or after it
 * (Slack's {@code event_id} follows the {@code event} object), where the scan must skip it all.
 * Lives in the verifier package because {@code JsonFields} is package-private there.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class EventIdBenchmark {
  @Param({"512", "2048", "16384", "262144"})
  public int size;

  @Param({"FIRST", "LAST"})
  public Payloads.IdPosition position;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFields ID_AND_TYPE = JsonFields.of("/id", "/type");

  private byte[] body;
  private BenchRequest request;

  @Setup
  public void setUp() {
    String id = "evt_1OXk2bLkdIwHu7ixBenchAbc";
    body = Payloads.jsonWithId(position, size, id);
    request = new BenchRequest(Map.of("X-GitHub-Delivery", id, "X-GitHub-Event", "push"), "application/json", body,
        System.currentTimeMillis(), "https://hooks.example.com/webhooks/github");
    String[] found = ID_AND_TYPE.read(body);
    if (!id.equals(found[0]) || !"invoice.paid".equals(found[1])) {
      throw new IllegalStateException("streaming scan did not find the fields: " + java.util.Arrays.toString(found));
    }
  }

  @Benchmark
  public String header() {
    return EventIds.cleanType(HeaderRead.of(request, "X-GitHub-Delivery").value());
  }

  @Benchmark
  public String[] streamingScan() {
    String[] found = ID_AND_TYPE.read(body);
    found[0] = EventIds.cleanType(found[0]);
    found[1] = EventIds.cleanType(found[1]);
    return found;
  }

  @Benchmark
  public String[] jacksonTree() throws java.io.IOException {
    JsonNode root = MAPPER.readTree(body);
    return new String[] {EventIds.cleanType(root.path("id").asText(null)), EventIds.cleanType(root.path("type").asText(null))};
  }

  @Benchmark
  public String[] vertxJsonObject() {
    JsonObject root = new JsonObject(Buffer.buffer(body));
    return new String[] {EventIds.cleanType(root.getString("id")), EventIds.cleanType(root.getString("type"))};
  }
}
