-- Idempotency as payment APIs keep it. A key is scoped (route and caller); the request's
-- fingerprint (its target and body, never a card number) is kept with it, so the same key with
-- another request is refused instead of answered with the first request's outcome.
CREATE TABLE idempotency_keys (
    scope text NOT NULL,
    key text NOT NULL,
    fingerprint text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);

-- Every outcome the account, wallet and subscription deciders gave, by command id, written in
-- the transaction of its batch: a command seen again, however long after, is answered as
-- before and never decided (nor charged, nor credited) again.
CREATE TABLE decider_outcomes (
    command_id text PRIMARY KEY,
    decider text NOT NULL,
    outcome jsonb NOT NULL,
    decided_at timestamptz NOT NULL DEFAULT now()
);
