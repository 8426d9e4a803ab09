-- the event list pages newest first by (received_at, id) (keyset), alone or within a
-- source or an event type; the old (received_at) index is a prefix of the new one.
CREATE INDEX IF NOT EXISTS events_received_idx ON ${flyway:defaultSchema}.events (received_at, id);
DROP INDEX IF EXISTS ${flyway:defaultSchema}.events_received_at_idx;
CREATE INDEX IF NOT EXISTS events_source_received_idx ON ${flyway:defaultSchema}.events (source_id, received_at, id);
CREATE INDEX IF NOT EXISTS events_type_received_idx ON ${flyway:defaultSchema}.events (event_type, received_at, id);
