-- delivery workers claim per destination in due order; dead letters list newest first.
CREATE INDEX IF NOT EXISTS deliveries_claim_idx
  ON ${flyway:defaultSchema}.deliveries (source_id, destination_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS deliveries_status_updated_idx ON ${flyway:defaultSchema}.deliveries (status, updated_at DESC);
