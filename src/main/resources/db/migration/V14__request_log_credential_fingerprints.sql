-- the requests log keeps, for a refused request's masked credential header values (apikey, basic,
-- gitlab sources), a salted slow one-way fingerprint (PBKDF2-HMAC-SHA256, JSON: algorithm, iterations,
-- salt, per header its position, name and hash), so a retry can find which current secret was sent
-- without the credential ever being stored. Null on rows written before, and on rows with nothing to match.
ALTER TABLE ${flyway:defaultSchema}.request_log ADD COLUMN IF NOT EXISTS credential_fingerprints jsonb;
