-- The sandbox payment provider's own records, by idempotency key (a real card processor keeps
-- these on its side). A declined charge is kept too: the same key gets the same answer.
CREATE TABLE sandbox_charges (
    idempotency_key text PRIMARY KEY,
    charge_id text UNIQUE,
    payment_method text NOT NULL,
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),
    currency char(3) NOT NULL,
    fee_minor bigint,
    decline_code text,
    decline_message text,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The double-entry revenue ledger: every money event is a transaction whose entries sum to
-- zero per currency. amount_minor is signed (positive credits the account) in minor units.
-- Accounts: external:cards (money in), processor (its fees: money out), viewer:<user id>
-- (bits held, at their worth), creator:<channel> (owed to the channel), platform.
CREATE TABLE ledger_entries (
    event_id uuid NOT NULL,
    line smallint NOT NULL,
    source text NOT NULL,
    account text NOT NULL,
    amount_minor bigint NOT NULL,
    currency char(3) NOT NULL,
    channel text,
    occurred_at timestamptz NOT NULL,
    PRIMARY KEY (event_id, line)
);
CREATE INDEX ledger_entries_by_account ON ledger_entries (account, occurred_at);

-- Bits in and out of each wallet, keyed by event id so a repeated event counts once.
CREATE TABLE bits_movements (
    event_id uuid PRIMARY KEY,
    user_id uuid NOT NULL,
    bits bigint NOT NULL,
    occurred_at timestamptz NOT NULL
);
CREATE INDEX bits_movements_by_user ON bits_movements (user_id);

UPDATE oauth_clients
SET scope = scope || ' user:manage:payments channel:read:revenue'
WHERE client_id = 'castline-web' AND scope NOT LIKE '%user:manage:payments%';
