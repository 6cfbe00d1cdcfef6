ALTER TABLE streams ADD COLUMN client_id text;
