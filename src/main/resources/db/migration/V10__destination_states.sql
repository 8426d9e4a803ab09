-- destination controls: a row per destination that was ever paused or failed with a circuit
-- breaker; shared by every node (a pause or an open circuit survives a node's death and a Redis restart).
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.destination_states (
  source_id      text NOT NULL,
  destination_id text NOT NULL,
  paused         boolean NOT NULL DEFAULT false,
  circuit        text NOT NULL DEFAULT 'closed' CHECK (circuit IN ('closed', 'open')),
  failures       integer NOT NULL DEFAULT 0,
  opened_at      timestamptz,
  probe_at       timestamptz,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_id, destination_id)
);
