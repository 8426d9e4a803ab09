-- headers written before this version were a JSON string holding the array; unwrap them.
UPDATE ${flyway:defaultSchema}.events SET headers = (headers #>> '{}')::jsonb WHERE jsonb_typeof(headers) = 'string';
