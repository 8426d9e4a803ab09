-- The overview's hourly roll-up: every node's traffic_minutes of one hour and source summed into one row, so a
-- month-long range reads about 24x fewer rows (docs/overview.md). traffic_fold holds how far minutes are folded:
-- hours before folded_until are complete in traffic_hours; the fold job locks this row, so nodes fold one at a time.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.traffic_hours (
  hour         timestamptz NOT NULL,
  source_id    text NOT NULL,
  accepted     bigint NOT NULL DEFAULT 0,
  duplicate    bigint NOT NULL DEFAULT 0,
  refused      jsonb NOT NULL DEFAULT '{}',
  delivered    bigint NOT NULL DEFAULT 0,
  failed       bigint NOT NULL DEFAULT 0,
  ack_buckets  bigint[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (hour, source_id)
);
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.traffic_fold (
  only_row      boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  folded_until  timestamptz NOT NULL
);
INSERT INTO ${flyway:defaultSchema}.traffic_fold (folded_until) VALUES ('-infinity') ON CONFLICT DO NOTHING;
