-- events, their per-destination deliveries, and every delivery attempt.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.events (
  id                uuid PRIMARY KEY,
  source_id         text NOT NULL,
  provider_event_id text NOT NULL,
  event_type        text,
  received_at       timestamptz NOT NULL,
  content_type      text,
  headers           jsonb NOT NULL,
  body              bytea NOT NULL,
  status            text NOT NULL DEFAULT 'received',
  CONSTRAINT events_source_provider_event_uk UNIQUE (source_id, provider_event_id)
);
CREATE INDEX IF NOT EXISTS events_received_at_idx ON ${flyway:defaultSchema}.events (received_at);
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.deliveries (
  event_id        uuid NOT NULL REFERENCES ${flyway:defaultSchema}.events (id),
  source_id       text NOT NULL,
  destination_id  text NOT NULL,
  status          text NOT NULL DEFAULT 'pending',
  round           integer NOT NULL DEFAULT 1,
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_owner     text,
  lease_until     timestamptz,
  last_status     integer,
  last_error      text,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, destination_id)
);
CREATE INDEX IF NOT EXISTS deliveries_due_idx ON ${flyway:defaultSchema}.deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS deliveries_status_idx ON ${flyway:defaultSchema}.deliveries (status);
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.delivery_attempts (
  event_id       uuid NOT NULL,
  destination_id text NOT NULL,
  round          integer NOT NULL,
  attempt        integer NOT NULL,
  node_id        text NOT NULL,
  started_at     timestamptz NOT NULL,
  finished_at    timestamptz NOT NULL,
  status_code    integer,
  latency_ms     integer NOT NULL,
  outcome        text NOT NULL,
  error          text,
  PRIMARY KEY (event_id, destination_id, round, attempt)
);
