ALTER TABLE channels ADD COLUMN suspended boolean NOT NULL DEFAULT false;
