package io.hookline.load;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static io.gatling.javaapi.core.CoreDsl.uniformRandomSwitch;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Building blocks shared by the simulations: the HTTP protocol, and per source a chain that signs
 * a fresh event (new id, current timestamp) and POSTs it, plus the hostile variants.
 */
public final class Webhooks {
  private Webhooks() {}

  public static final String BODY = "hl.body";
  public static final String HEADERS = "hl.headers";
  public static final String EVENT_ID = "hl.eventId";
  public static final String SENT_AT = "hl.sentAt";

  /** One HTTP/1.1 keep-alive pool shared by all virtual users, like a provider's sender fleet behind a few IPs. */
  public static HttpProtocolBuilder protocol(String baseUrl) {
    return http.baseUrl(baseUrl)
        .disableWarmUp()
        .shareConnections()
        .acceptHeader("application/json")
        .userAgentHeader("Hookline-LoadTest/1.0 (Gatling)")
        .disableCaching();
  }

  static String path(Source s) {
    return "/webhooks/" + s.id();
  }

  /** Signs a new event for {@code s} into the session ({@code tsOffsetSeconds} &lt; 0 makes it stale). */
  static Session prepare(Session session, Source s, String baseUrl, int size, String secret, long tsOffsetSeconds) {
    String id = Bodies.newEventId();
    long ts = System.currentTimeMillis() / 1000 + tsOffsetSeconds;
    byte[] body = Bodies.body(s.provider(), id, ts, size);
    Map<String, String> headers = Signer.sign(s.provider(), secret, body, id, ts, baseUrl + path(s));
    return session.set(BODY, body).set(HEADERS, headers).set(EVENT_ID, id).set(SENT_AT, System.nanoTime());
  }

  /** Header names this provider's signer sets (fixed per provider). */
  static Set<String> headerNames(Source s) {
    byte[] body = Bodies.body(s.provider(), "evt-00000000-000000000000", 1700000000L, 64);
    return new LinkedHashSet<>(Signer.sign(s.provider(), s.secret(), body, "x", 1700000000L, "http://x/").keySet());
  }

  /** POST of the session's body with the session's headers (only those in {@code names}). */
  @SuppressWarnings("unchecked")
  static HttpRequestActionBuilder post(String requestName, Source s, Set<String> names) {
    HttpRequestActionBuilder r = http(requestName).post(path(s))
        .header("Content-Type", Signer.contentType(s.provider()))
        .body(ByteArrayBody(session -> (byte[]) session.get(BODY)));
    for (String name : names) {
      r = r.header(name, session -> ((Map<String, String>) session.get(HEADERS)).get(name));
    }
    return r;
  }

  /** A valid, newly signed event: must be accepted (200, duplicate:false). */
  public static ChainBuilder valid(Source s, String baseUrl, int size, String requestName) {
    Set<String> names = headerNames(s);
    return exec(session -> prepare(session, s, baseUrl, size, s.secret(), 0))
        .exec(post(requestName, s, names).check(status().is(200), substring("\"duplicate\":false").exists()));
  }

  /** One valid event to a uniformly chosen source; requests are named after the source. */
  public static ChainBuilder validMix(List<Source> sources, String baseUrl, int size, String prefix) {
    List<ChainBuilder> chains = new ArrayList<>();
    for (Source s : sources) {
      chains.add(valid(s, baseUrl, size, prefix + s.id()));
    }
    return chains.size() == 1 ? chains.get(0) : uniformRandomSwitch().on(chains);
  }

  /** Like {@link #validMix}, with every request's send time and outcome reported to the stairs tracker. */
  public static ChainBuilder validMixTracked(List<Source> sources, String baseUrl, int size, StairsTracker tracker) {
    List<ChainBuilder> chains = new ArrayList<>();
    for (Source s : sources) {
      Set<String> names = headerNames(s);
      chains.add(exec(session -> {
        Session prepared = prepare(session, s, baseUrl, size, s.secret(), 0);
        return prepared.set(SENT_AT, tracker.sending());
      })
          .exec(post(s.id(), s, names).check(status().is(200), substring("\"duplicate\":false").exists()))
          .exec(session -> {
            tracker.done(session.getLong(SENT_AT), !session.isFailed());
            return session;
          }));
    }
    return chains.size() == 1 ? chains.get(0) : uniformRandomSwitch().on(chains);
  }

  // ------------------------------------------------------------------ hostile traffic

  /** Signed with a secret the source does not have: 401 invalid_signature. */
  static ChainBuilder badSignature(Source s, String baseUrl, int size) {
    Set<String> names = headerNames(s);
    String wrong = s.provider().equals("standard")
        ? "whsec_" + java.util.Base64.getEncoder().encodeToString("a-different-32-byte-secret-key!!".getBytes())
        : s.secret() + "-wrong";
    return exec(session -> prepare(session, s, baseUrl, size, wrong, 0))
        .exec(post("hostile: bad signature", s, names).check(status().is(401), substring("invalid_signature").exists()));
  }

  /** Correctly signed an hour ago: 401 timestamp_out_of_tolerance. */
  static ChainBuilder staleTimestamp(Source s, String baseUrl, int size) {
    Set<String> names = headerNames(s);
    return exec(session -> prepare(session, s, baseUrl, size, s.secret(), -3600))
        .exec(post("hostile: stale timestamp", s, names)
            .check(status().is(401), substring("timestamp_out_of_tolerance").exists()));
  }

  /** No signature header at all: 400 missing_signature. */
  static ChainBuilder missingSignature(Source s, String baseUrl, int size) {
    Set<String> names = headerNames(s);
    names.remove(Signer.signatureHeader(s.provider()));
    return exec(session -> prepare(session, s, baseUrl, size, s.secret(), 0))
        .exec(post("hostile: missing signature", s, names).check(status().is(400), substring("missing_signature").exists()));
  }

  /** A signature header that is not one: 400 malformed_signature. */
  @SuppressWarnings("unchecked")
  static ChainBuilder malformedSignature(Source s, String baseUrl, int size) {
    Set<String> names = headerNames(s);
    String header = Signer.signatureHeader(s.provider());
    return exec(session -> {
      Session prepared = prepare(session, s, baseUrl, size, s.secret(), 0);
      Map<String, String> h = new java.util.LinkedHashMap<>((Map<String, String>) prepared.get(HEADERS));
      h.put(header, "definitely-not-a-signature!");
      return prepared.set(HEADERS, h);
    }).exec(post("hostile: malformed signature", s, names)
        .check(status().is(400), substring("malformed_signature").exists()));
  }

  private static volatile byte[] oversize;

  /** A body over the source's limit: 413 body_too_large (refused on Content-Length, unread). */
  static ChainBuilder oversize(Source s, int bytes) {
    if (oversize == null || oversize.length != bytes) {
      byte[] b = new byte[bytes];
      java.util.Arrays.fill(b, (byte) 'x');
      b[0] = '"';
      b[bytes - 1] = '"';
      oversize = b;
    }
    byte[] body = oversize;
    return exec(http("hostile: oversize body").post(path(s))
        .header("Content-Type", Signer.contentType(s.provider()))
        .header(Signer.signatureHeader(s.provider()), "t=1,v1=00")
        .body(ByteArrayBody(body))
        .check(status().is(413)));
  }

  /** A source that does not exist: 404 unknown_source. */
  static ChainBuilder unknownSource(String baseUrl, int size) {
    Source ghost = new Source("no-such-source", "github", "whatever");
    Set<String> names = headerNames(ghost);
    return exec(session -> prepare(session, ghost, baseUrl, size, ghost.secret(), 0))
        .exec(post("hostile: unknown source", ghost, names).check(status().is(404)));
  }

  /** Every hostile kind, uniformly, against uniformly chosen sources (stale only where timestamps are signed). */
  public static ChainBuilder hostileMix(List<Source> sources, String baseUrl, int size, int oversizeBytes) {
    List<ChainBuilder> kinds = new ArrayList<>();
    kinds.add(uniformRandomSwitch().on(each(sources, s -> badSignature(s, baseUrl, size))));
    List<Source> timed = sources.stream().filter(Source::signsTimestamp).toList();
    if (!timed.isEmpty()) {
      kinds.add(uniformRandomSwitch().on(each(timed, s -> staleTimestamp(s, baseUrl, size))));
    }
    kinds.add(uniformRandomSwitch().on(each(sources, s -> missingSignature(s, baseUrl, size))));
    kinds.add(uniformRandomSwitch().on(each(sources, s -> malformedSignature(s, baseUrl, size))));
    kinds.add(oversize(sources.get(0), oversizeBytes));
    kinds.add(unknownSource(baseUrl, size));
    return uniformRandomSwitch().on(kinds);
  }

  static List<ChainBuilder> each(List<Source> sources, java.util.function.Function<Source, ChainBuilder> f) {
    List<ChainBuilder> out = new ArrayList<>();
    for (Source s : sources) {
      out.add(f.apply(s));
    }
    return out;
  }

  /** {@code validShare}% valid (in group "valid"), the rest hostile (group "hostile"). */
  public static ChainBuilder mixedWithHostile(List<Source> sources, String baseUrl, int size, int oversizeBytes,
                                              double hostilePercent) {
    return randomSwitch().on(
        percent(100 - hostilePercent).then(io.gatling.javaapi.core.CoreDsl.group("valid")
            .on(validMix(sources, baseUrl, size, ""))),
        percent(hostilePercent).then(io.gatling.javaapi.core.CoreDsl.group("hostile")
            .on(hostileMix(sources, baseUrl, size, oversizeBytes))));
  }

}
