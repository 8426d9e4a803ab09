-- hookline_deliveries_oldest_pending_seconds reads the smallest pending event id (ids are
-- UUIDv7, time first) every metrics.deadRefresh; no other index is ordered by event among pending
-- rows only (without it: the primary key walked past every finished delivery, 1.06 s at 1M; with
-- it 0.3 ms). Costs one entry per delivery insert (measured +1 WAL record, +75 bytes per event)
-- and per update that leaves it pending (claim, retry); its size follows the backlog, not the table.
CREATE INDEX IF NOT EXISTS deliveries_pending_event_idx ON ${flyway:defaultSchema}.deliveries (event_id) WHERE status = 'pending';
