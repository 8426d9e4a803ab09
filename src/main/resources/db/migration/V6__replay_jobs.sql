-- bulk replay jobs, in a table so any node can answer for a job's progress.
CREATE TABLE IF NOT EXISTS ${flyway:defaultSchema}.replay_jobs (
  id          uuid PRIMARY KEY,
  state       text NOT NULL,
  matched     bigint NOT NULL,
  replayed    bigint NOT NULL DEFAULT 0,
  criteria    jsonb NOT NULL,
  created_by  text NOT NULL,
  node_id     text NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  error       text
);
