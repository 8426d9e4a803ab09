-- Storage over time (SPEC): events, deliveries and delivery_attempts become partitioned by range of the
-- event id. Ids are UUIDv7 (milliseconds first), so a range of ids is a range of time, and the three
-- tables share one partition key and one set of bounds with no new column: retention drops an expired
-- span of all three at once. Partitions ahead of time are created by PartitionStore and listed in
-- storage_partitions; the default partition takes anything no partition covers: the rows of an earlier
-- release (retention deletes them row by row, as that release did), ids that are not UUIDv7, and the
-- events retention keeps when it drops their partition.
CREATE TABLE ${flyway:defaultSchema}.storage_partitions (
  suffix      text PRIMARY KEY,
  starts      timestamptz NOT NULL,
  ends        timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  dropped_at  timestamptz,
  kept_events bigint
);

CREATE TABLE ${flyway:defaultSchema}.events_p (LIKE ${flyway:defaultSchema}.events INCLUDING DEFAULTS) PARTITION BY RANGE (id);
CREATE TABLE ${flyway:defaultSchema}.deliveries_p (LIKE ${flyway:defaultSchema}.deliveries INCLUDING DEFAULTS) PARTITION BY RANGE (event_id);
CREATE TABLE ${flyway:defaultSchema}.delivery_attempts_p (LIKE ${flyway:defaultSchema}.delivery_attempts INCLUDING DEFAULTS) PARTITION BY RANGE (event_id);

CREATE TABLE ${flyway:defaultSchema}.events_default PARTITION OF ${flyway:defaultSchema}.events_p DEFAULT
  WITH (toast_tuple_target = 8160);
CREATE TABLE ${flyway:defaultSchema}.deliveries_default PARTITION OF ${flyway:defaultSchema}.deliveries_p DEFAULT;
CREATE TABLE ${flyway:defaultSchema}.delivery_attempts_default PARTITION OF ${flyway:defaultSchema}.delivery_attempts_p DEFAULT;

INSERT INTO ${flyway:defaultSchema}.events_p SELECT * FROM ${flyway:defaultSchema}.events;
INSERT INTO ${flyway:defaultSchema}.deliveries_p SELECT * FROM ${flyway:defaultSchema}.deliveries;
INSERT INTO ${flyway:defaultSchema}.delivery_attempts_p SELECT * FROM ${flyway:defaultSchema}.delivery_attempts;

-- Dedup across partitions: a unique key on a partitioned table must contain the partition key, so the
-- (source, provider event id) promise moves to a table of its own, written in the group commit's
-- statement, each key kept for its source's dedupTtl even when retention removed the event sooner.
-- Keys of an earlier release were kept forever; they are now kept 72 h (dedupTtl's default) from now.
CREATE TABLE ${flyway:defaultSchema}.event_keys (
  source_id         text NOT NULL,
  provider_event_id text NOT NULL,
  event_id          uuid NOT NULL,
  expires_at        timestamptz NOT NULL,
  PRIMARY KEY (source_id, provider_event_id)
);
INSERT INTO ${flyway:defaultSchema}.event_keys (source_id, provider_event_id, event_id, expires_at)
  SELECT source_id, provider_event_id, id, greatest(received_at, now()) + interval '72 hours' FROM ${flyway:defaultSchema}.events;
CREATE INDEX event_keys_expires_idx ON ${flyway:defaultSchema}.event_keys (expires_at);

DROP TABLE ${flyway:defaultSchema}.events, ${flyway:defaultSchema}.deliveries, ${flyway:defaultSchema}.delivery_attempts;
ALTER TABLE ${flyway:defaultSchema}.events_p RENAME TO events;
ALTER TABLE ${flyway:defaultSchema}.deliveries_p RENAME TO deliveries;
ALTER TABLE ${flyway:defaultSchema}.delivery_attempts_p RENAME TO delivery_attempts;

-- The indexes of migrations 1-8, on the partitioned tables (each partition gets its own).
ALTER TABLE ${flyway:defaultSchema}.events ADD PRIMARY KEY (id);
CREATE INDEX events_source_provider_idx ON ${flyway:defaultSchema}.events (source_id, provider_event_id);
CREATE INDEX events_received_idx ON ${flyway:defaultSchema}.events (received_at, id);
CREATE INDEX events_source_received_idx ON ${flyway:defaultSchema}.events (source_id, received_at, id);
CREATE INDEX events_type_received_idx ON ${flyway:defaultSchema}.events (event_type, received_at, id);
ALTER TABLE ${flyway:defaultSchema}.deliveries ADD PRIMARY KEY (event_id, destination_id);
CREATE INDEX deliveries_claim_idx
  ON ${flyway:defaultSchema}.deliveries (source_id, destination_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_status_updated_idx ON ${flyway:defaultSchema}.deliveries (status, updated_at DESC);
CREATE INDEX deliveries_pending_event_idx ON ${flyway:defaultSchema}.deliveries (event_id) WHERE status = 'pending';
ALTER TABLE ${flyway:defaultSchema}.delivery_attempts ADD PRIMARY KEY (event_id, destination_id, round, attempt);
