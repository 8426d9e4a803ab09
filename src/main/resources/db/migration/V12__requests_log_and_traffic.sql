-- the requests log (refused requests an operator can retry; partitioned by day on received_at,
-- partitions made ahead and dropped whole by RequestLogVerticle) and the overview's per-minute
-- traffic per node and source (ack latency as fixed-bucket counts, mergeable across nodes).
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.request_log (
  id             uuid NOT NULL,
  received_at    timestamptz NOT NULL,
  source_id      text NOT NULL,
  reason         text NOT NULL,
  status         integer NOT NULL,
  remote_address text,
  node_id        text NOT NULL,
  public_url     text,
  content_type   text,
  headers        jsonb NOT NULL,
  body           bytea NOT NULL,
  body_truncated boolean NOT NULL DEFAULT false,
  PRIMARY KEY (received_at, id)
) PARTITION BY RANGE (received_at);
CREATE INDEX IF NOT EXISTS request_log_id_idx ON ${flyway:defaultSchema}.request_log (id);
CREATE INDEX IF NOT EXISTS request_log_source_idx ON ${flyway:defaultSchema}.request_log (source_id, received_at, id);
CREATE INDEX IF NOT EXISTS request_log_reason_idx ON ${flyway:defaultSchema}.request_log (reason, received_at, id);
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.traffic_minutes (
  minute       timestamptz NOT NULL,
  node_id      text NOT NULL,
  source_id    text NOT NULL,
  accepted     bigint NOT NULL DEFAULT 0,
  duplicate    bigint NOT NULL DEFAULT 0,
  refused      jsonb NOT NULL DEFAULT '{}',
  delivered    bigint NOT NULL DEFAULT 0,
  failed       bigint NOT NULL DEFAULT 0,
  ack_buckets  bigint[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (minute, node_id, source_id)
);
