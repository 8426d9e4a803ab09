-- HOT result writes (issue 20). An update is HOT (no new index entries, pruned in the page) only when no
-- column any index reads changes, partial indexes' predicates included; the result write changes status,
-- next_attempt_at and updated_at, which the claim, pending and status indexes read. So the pending deliveries
-- get a table of their own, delivery_queue: a row per pending delivery (its key and when it is due), written
-- in the same statement as the delivery. deliveries stays the record; its only other index is on failed_at,
-- set when a delivery goes dead or gone, which the common path (pending -> delivered) never changes.
CREATE TABLE ${flyway:defaultSchema}.delivery_queue (
  event_id        uuid NOT NULL,
  destination_id  text NOT NULL,
  source_id       text NOT NULL,
  next_attempt_at timestamptz NOT NULL,
  PRIMARY KEY (event_id, destination_id)
);
CREATE INDEX delivery_queue_claim_idx
  ON ${flyway:defaultSchema}.delivery_queue (source_id, destination_id, next_attempt_at);
INSERT INTO ${flyway:defaultSchema}.delivery_queue (event_id, destination_id, source_id, next_attempt_at)
  SELECT event_id, destination_id, source_id, next_attempt_at FROM ${flyway:defaultSchema}.deliveries
  WHERE status = 'pending';

ALTER TABLE ${flyway:defaultSchema}.deliveries ADD COLUMN failed_at timestamptz;
UPDATE ${flyway:defaultSchema}.deliveries SET failed_at = updated_at WHERE status IN ('dead', 'gone');
CREATE INDEX deliveries_failed_idx ON ${flyway:defaultSchema}.deliveries (failed_at) WHERE failed_at IS NOT NULL;

DROP INDEX ${flyway:defaultSchema}.deliveries_claim_idx;
DROP INDEX ${flyway:defaultSchema}.deliveries_status_updated_idx;
DROP INDEX ${flyway:defaultSchema}.deliveries_pending_event_idx;

-- Room in each page for a row's next version, so a result write lands beside it (new partitions get the
-- same from PartitionStore; a partitioned parent takes no storage parameters).
DO $$
DECLARE p regclass;
BEGIN
  FOR p IN SELECT inhrelid::regclass FROM pg_inherits
           WHERE inhparent = '${flyway:defaultSchema}.deliveries'::regclass LOOP
    EXECUTE format('ALTER TABLE %s SET (fillfactor = 70)', p);
  END LOOP;
END $$;
