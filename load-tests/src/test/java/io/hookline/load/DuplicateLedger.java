package io.hookline.load;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What came back for every copy of every event in the duplicates run, to check the dedup contract:
 * per event exactly one {@code duplicate:false}, every other 200 is {@code duplicate:true}, and all
 * of them carry the same Hookline id.
 */
public final class DuplicateLedger {
  private static final Pattern RESPONSE = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"duplicate\"\\s*:\\s*(true|false)");

  private static final class Entry {
    int fresh;
    int duplicate;
    int other;
    String id;
    boolean idMismatch;
  }

  private final Map<String, Entry> events = new ConcurrentHashMap<>();
  private final AtomicLong responses = new AtomicLong();

  public boolean record(String eventId, int status, String body) {
    responses.incrementAndGet();
    Entry e = events.computeIfAbsent(eventId, k -> new Entry());
    synchronized (e) {
      Matcher m = status == 200 && body != null ? RESPONSE.matcher(body) : null;
      if (m == null || !m.find()) {
        e.other++;
        return true;
      }
      if (m.group(2).equals("false")) {
        e.fresh++;
      } else {
        e.duplicate++;
      }
      if (e.id == null) {
        e.id = m.group(1);
      } else if (!e.id.equals(m.group(1))) {
        e.idMismatch = true;
      }
    }
    return true;
  }

  /** Events whose answers break the contract; prints a summary. */
  public long violations() {
    long twiceNew = 0;
    long neverNew = 0;
    long mismatched = 0;
    long withErrors = 0;
    for (Entry e : events.values()) {
      synchronized (e) {
        if (e.fresh > 1) {
          twiceNew++;
        }
        if (e.fresh == 0 && e.duplicate > 0) {
          neverNew++;
        }
        if (e.idMismatch) {
          mismatched++;
        }
        if (e.other > 0) {
          withErrors++;
        }
      }
    }
    System.out.printf("[hookline-load] duplicates: %d events, %d responses; accepted as new more than once: %d;"
            + " only ever duplicate:true: %d; different ids for one event: %d; events with a non-200 copy: %d%n",
        events.size(), responses.get(), twiceNew, neverNew, mismatched, withErrors);
    return twiceNew + neverNew + mismatched;
  }
}
