-- per-event PostgreSQL work that does not pay. Deliveries are only ever inserted
-- with their event, in one statement, so the foreign key's check (an index probe plus a row lock
-- on the event, with its WAL record, per delivery) guards nothing; retention deletes deliveries
-- and attempts before their event. Bodies of a few KB stay in the event row instead of costing
-- two TOAST rows and index entries each.
ALTER TABLE ${flyway:defaultSchema}.deliveries DROP CONSTRAINT IF EXISTS deliveries_event_id_fkey;
ALTER TABLE ${flyway:defaultSchema}.events SET (toast_tuple_target = 8160);
