-- the W3C traceparent of the event's ingest span, so delivery attempts claimed,
-- retried or replayed from PostgreSQL join the event's trace; null when tracing is off.
ALTER TABLE ${flyway:defaultSchema}.events ADD COLUMN IF NOT EXISTS traceparent text;
