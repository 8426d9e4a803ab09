package io.hookline.store;

import io.hookline.store.EventSearch.Position;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The requests log in PostgreSQL (migrations 12 and 14): refused requests written in batches, listed newest
 * first with keyset pagination, read one by one for retry. The table is partitioned by day on
 * {@code received_at}; partitions are made ahead and dropped whole once past the retention.
 */
public final class RequestLogStore {
  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
  private static final String PARTITION_PREFIX = "request_log_p";
  private static final String SUMMARY_COLUMNS = "id, received_at, source_id, reason, status, remote_address, node_id";

  /**
   * One refused request; {@code headersJson} is {@code [[name, value], ...]} with credential values masked;
   * {@code fingerprints} those values' one-way fingerprints, or null (none, or a row from before migration 14).
   */
  public record RefusedRequest(UUID id, OffsetDateTime receivedAt, String sourceId, String reason, int status,
                               String remoteAddress, String nodeId, String publicUrl, String contentType,
                               String headersJson, Buffer body, boolean bodyTruncated, Fingerprints fingerprints) {
    public RefusedRequest(UUID id, OffsetDateTime receivedAt, String sourceId, String reason, int status,
                          String remoteAddress, String nodeId, String publicUrl, String contentType,
                          String headersJson, Buffer body, boolean bodyTruncated) {
      this(id, receivedAt, sourceId, reason, status, remoteAddress, nodeId, publicUrl, contentType, headersJson, body,
          bodyTruncated, null);
    }

    public RefusedRequest withFingerprints(Fingerprints f) {
      return new RefusedRequest(id, receivedAt, sourceId, reason, status, remoteAddress, nodeId, publicUrl, contentType,
          headersJson, body, bodyTruncated, f);
    }
  }

  /**
   * The {@code credential_fingerprints} JSON of a request (written and read by {@code requests}); a
   * password-hash-like secret in its own right, so it is never printed, logged or answered by the API.
   */
  public record Fingerprints(String json) {
    @Override
    public String toString() {
      return "Fingerprints(***)";
    }
  }

  /** What list and bulk retry filter on; null fields do not filter (since inclusive, until exclusive). */
  public record Filter(String sourceId, String reason, OffsetDateTime since, OffsetDateTime until) {
    public JsonObject toJson() {
      return new JsonObject().put("kind", "requests").put("source", sourceId).put("reason", reason)
          .put("since", since == null ? null : since.toString()).put("until", until == null ? null : until.toString());
    }
  }

  public record Summary(UUID id, OffsetDateTime receivedAt, String sourceId, String reason, int status,
                        String remoteAddress, String nodeId) {}

  public record Page(List<Summary> requests, boolean more) {}

  private final Pool pool;
  private final String schema;
  private final String insertSql;

  public RequestLogStore(Pool pool, String schema) {
    this.pool = pool;
    this.schema = schema;
    this.insertSql = "INSERT INTO " + schema + ".request_log (id, received_at, source_id, reason, status, remote_address, "
        + "node_id, public_url, content_type, headers, body, body_truncated, credential_fingerprints) "
        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11, $12, $13::text::jsonb) ON CONFLICT DO NOTHING";
  }

  /** One batch, one transaction. */
  public Future<Void> insert(List<RefusedRequest> batch) {
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>(batch.size());
    for (RefusedRequest r : batch) {
      rows.add(Tuple.from(new Object[] {r.id(), r.receivedAt(), r.sourceId(), r.reason(), r.status(), r.remoteAddress(),
          r.nodeId(), r.publicUrl(), r.contentType(), r.headersJson(), r.body(), r.bodyTruncated(),
          r.fingerprints() == null ? null : r.fingerprints().json()}));
    }
    return pool.preparedQuery(insertSql).executeBatch(rows).mapEmpty();
  }

  /** Day partitions from {@code first} for {@code days} days; existing ones are left alone. */
  public Future<Void> ensurePartitions(LocalDate first, int days) {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < days; i++) {
      LocalDate day = first.plusDays(i);
      sql.append("CREATE TABLE IF NOT EXISTS ").append(schema).append('.').append(PARTITION_PREFIX).append(DAY.format(day))
          .append(" PARTITION OF ").append(schema).append(".request_log FOR VALUES FROM ('").append(day)
          .append("T00:00:00Z') TO ('").append(day.plusDays(1)).append("T00:00:00Z');");
    }
    return pool.withConnection(c -> c.query("SET client_min_messages = warning").execute()
        .compose(v -> c.query(sql.toString()).execute())).mapEmpty();
  }

  /** Drops every day partition that ends at or before {@code cutoff}; answers how many were dropped. */
  public Future<Integer> dropPartitionsBefore(OffsetDateTime cutoff) {
    return pool.preparedQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            + "WHERE i.inhparent = ($1 || '.request_log')::regclass")
        .execute(Tuple.of(schema)).compose(rows -> {
          List<String> old = new ArrayList<>();
          for (Row r : rows) {
            String name = r.getString(0);
            if (!name.startsWith(PARTITION_PREFIX)) {
              continue;
            }
            LocalDate day = LocalDate.parse(name.substring(PARTITION_PREFIX.length()), DAY);
            if (!day.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC).isAfter(cutoff)) {
              old.add(schema + "." + name);
            }
          }
          if (old.isEmpty()) {
            return Future.succeededFuture(0);
          }
          return pool.query("DROP TABLE IF EXISTS " + String.join(", ", old)).execute().map(v -> old.size());
        });
  }

  /** Newest first, {@code limit} at most, after the cursor. */
  public Future<Page> list(Filter f, Position after, int limit) {
    SqlArgs args = new SqlArgs();
    StringBuilder where = where(f, args);
    if (after != null) {
      where.append(" AND (received_at, id) < (").append(args.add(after.receivedAt())).append(", ")
          .append(args.add(after.id())).append(')');
    }
    String sql = "SELECT " + SUMMARY_COLUMNS + " FROM " + schema + ".request_log WHERE " + where
        + " ORDER BY received_at DESC, id DESC LIMIT " + args.add(limit + 1);
    return pool.preparedQuery(sql).execute(args.tuple).map(rows -> {
      List<Summary> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(summary(r));
      }
      boolean more = out.size() > limit;
      return new Page(more ? out.subList(0, limit) : out, more);
    });
  }

  /** The ids of matching requests oldest first, after {@code after} (bulk retry walks them in arrival order). */
  public Future<List<Position>> idsAfter(Filter f, OffsetDateTime cutoff, Position after, int limit) {
    SqlArgs args = new SqlArgs();
    StringBuilder where = where(f, args);
    where.append(" AND received_at <= ").append(args.add(cutoff));
    if (after != null) {
      where.append(" AND (received_at, id) > (").append(args.add(after.receivedAt())).append(", ")
          .append(args.add(after.id())).append(')');
    }
    String sql = "SELECT received_at, id FROM " + schema + ".request_log WHERE " + where
        + " ORDER BY received_at, id LIMIT " + args.add(limit);
    return pool.preparedQuery(sql).execute(args.tuple).map(rows -> {
      List<Position> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new Position(r.getOffsetDateTime(0), r.getUUID(1)));
      }
      return out;
    });
  }

  public Future<Long> count(Filter f, OffsetDateTime cutoff) {
    SqlArgs args = new SqlArgs();
    StringBuilder where = where(f, args);
    where.append(" AND received_at <= ").append(args.add(cutoff));
    return pool.preparedQuery("SELECT count(*) FROM " + schema + ".request_log WHERE " + where).execute(args.tuple)
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** The whole stored request, or null (with its credential fingerprints: for retry, never for an answer). */
  public Future<RefusedRequest> detail(UUID id) {
    return pool.preparedQuery("SELECT " + SUMMARY_COLUMNS + ", public_url, content_type, headers::text, body, body_truncated, "
            + "credential_fingerprints::text FROM " + schema + ".request_log WHERE id = $1").execute(Tuple.of(id)).map(rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row r = rows.iterator().next();
              return new RefusedRequest(r.getUUID(0), r.getOffsetDateTime(1), r.getString(2), r.getString(3),
                  r.getInteger(4), r.getString(5), r.getString(6), r.getString(7), r.getString(8), r.getString(9),
                  r.getBuffer(10), r.getBoolean(11), r.getString(12) == null ? null : new Fingerprints(r.getString(12)));
            });
  }

  /** A bulk retry job, recorded where replay jobs are so {@code GET /admin/api/replay/{job}} reports it. */
  public Future<Void> startJob(UUID jobId, long matched, Filter f, String createdBy, String nodeId) {
    return pool.preparedQuery("INSERT INTO " + schema + ".replay_jobs (id, state, matched, replayed, criteria, created_by, "
            + "node_id, created_at, updated_at) VALUES ($1, 'running', $2, 0, $3::text::jsonb, $4, $5, now(), now())")
        .execute(Tuple.of(jobId, matched, f.toJson().encode(), createdBy, nodeId)).mapEmpty();
  }

  public Future<Void> jobProgress(UUID jobId, long retried) {
    return pool.preparedQuery("UPDATE " + schema + ".replay_jobs SET replayed = $2, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(jobId, retried)).mapEmpty();
  }

  private static StringBuilder where(Filter f, SqlArgs args) {
    StringBuilder w = new StringBuilder("true");
    if (f.sourceId() != null) {
      w.append(" AND source_id = ").append(args.add(f.sourceId()));
    }
    if (f.reason() != null) {
      w.append(" AND reason = ").append(args.add(f.reason()));
    }
    if (f.since() != null) {
      w.append(" AND received_at >= ").append(args.add(f.since()));
    }
    if (f.until() != null) {
      w.append(" AND received_at < ").append(args.add(f.until()));
    }
    return w;
  }

  private static Summary summary(Row r) {
    return new Summary(r.getUUID(0), r.getOffsetDateTime(1), r.getString(2), r.getString(3), r.getInteger(4),
        r.getString(5), r.getString(6));
  }
}
