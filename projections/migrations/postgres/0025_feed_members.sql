-- Several workers run a feed, each over its share of the partitions (feeds.leases): each
-- reports for itself (member: host and process), with how many partitions it holds.
ALTER TABLE feeds ADD COLUMN member text NOT NULL DEFAULT '';
ALTER TABLE feeds ADD COLUMN partitions integer NOT NULL DEFAULT 0;
ALTER TABLE feeds DROP CONSTRAINT feeds_pkey;
ALTER TABLE feeds ADD PRIMARY KEY (name, member);
