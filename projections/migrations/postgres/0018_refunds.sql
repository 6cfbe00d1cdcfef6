-- The sandbox payment provider's refunds, by idempotency key (a real card processor keeps these
-- on its side). A refund declined (unknown charge, more than was charged) is kept too.
CREATE TABLE sandbox_refunds (
    idempotency_key text PRIMARY KEY,
    refund_id text UNIQUE,
    charge_id text NOT NULL,
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),
    currency char(3) NOT NULL,
    decline_code text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sandbox_refunds_by_charge ON sandbox_refunds (charge_id);
