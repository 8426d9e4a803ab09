-- every delivery is updated three times (claim, result, lease); each index on a changed
-- column costs an entry per update. deliveries_claim_idx serves the due scan and the pending
-- count, deliveries_status_updated_idx any lookup by status: these two were redundant.
DROP INDEX IF EXISTS ${flyway:defaultSchema}.deliveries_due_idx;
DROP INDEX IF EXISTS ${flyway:defaultSchema}.deliveries_status_idx;
