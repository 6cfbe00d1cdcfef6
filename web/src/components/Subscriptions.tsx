// Subscribe to a channel (renewed monthly with the card on file), cancel, or gift months.
import { useState } from "react";
import { formatMoney, randomId } from "../api";
import type { Page } from "../api";
import { CardNumber } from "./Support";
import { ErrorNote, onSubmit, useAction, useLoad } from "./feedback";
import { useSession } from "../session";

const TIERS = [1000, 2000, 3000];

interface Subscription {
  channel: string;
  tier: number;
  status: "active" | "cancelled" | "ended";
  renews: boolean;
  ends_at: string | null;
}

interface Paid {
  data: { tier: number; price: { amount: number; currency: string }; recipients?: string[] };
  position: string | null;
}

function TierSelect({ value, onChange }: { value: number; onChange(tier: number): void }) {
  return (
    <label>Tier
      <select value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {TIERS.map((tier) => <option key={tier} value={tier}>Tier {tier / 1000}</option>)}
      </select>
    </label>
  );
}

export function SubscribePanel({ channel }: { channel: string }) {
  const { call } = useSession();
  const [position, setPosition] = useState("");
  const mine = useLoad(() => call<Page<Subscription>>(
    `/api/v1/users/me/subscriptions${position ? `?min_position=${encodeURIComponent(position)}` : ""}`)
    .then((page) => page.data.find((s) => s.channel === channel && s.status !== "ended")), position);
  const [tier, setTier] = useState(1000);
  const [card, setCard] = useState("");
  const [recipient, setRecipient] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const pay = (path: string, body: object, what: (paid: Paid) => string) => async () => {
    setDone(null);
    const paid = await call<Paid>(`/api/v1/channels/${channel}/subscriptions${path}`, {
      body: { tier, card_number: card.replace(/\s+/g, ""), ...body }, idempotencyKey: randomId(),
    });
    setDone(`${what(paid)} for ${formatMoney(paid.data.price.amount, paid.data.price.currency)}.`);
    setPosition(paid.position ?? "");
  };
  const subscribe = useAction(pay("", {}, (paid) => `Subscribed at Tier ${paid.data.tier / 1000}`));
  const gift = useAction(pay("/gifts", recipient ? { recipient } : { count: 1 },
    (paid) => `Gifted a month to ${(paid.data.recipients ?? []).join(", ") || "nobody"}`));
  const cancel = useAction(async () => {
    const answer = await call<{ position: string | null }>(
      `/api/v1/channels/${channel}/subscriptions`, { method: "DELETE" });
    setPosition(answer.position ?? "");
  });
  const current = mine.data;
  return (
    <section className="panel" aria-labelledby="sub-title">
      <h2 id="sub-title">Subscribe</h2>
      <ErrorNote error={mine.error} />
      {current && (
        <p role="status" data-testid="subscription">
          Subscribed at Tier {current.tier / 1000}
          {current.renews ? ", renews monthly." : ` until ${new Date(current.ends_at ?? "").toLocaleDateString()}.`}
        </p>
      )}
      {current?.renews && (
        <button type="button" onClick={() => void cancel.run()} disabled={cancel.busy}>Cancel subscription</button>
      )}
      <ErrorNote error={cancel.error} />
      <form className="stack" onSubmit={onSubmit(subscribe.run)}>
        <TierSelect value={tier} onChange={setTier} />
        <CardNumber id="sub-card-help" value={card} onChange={setCard} />
        <label>Gift to (a username; empty: a random viewer)
          <input value={recipient} maxLength={25} onChange={(e) => setRecipient(e.target.value)} />
        </label>
        <ErrorNote error={subscribe.error ?? gift.error} />
        {done && <p className="success" role="status">{done}</p>}
        <div className="row">
          {!current && <button type="submit" disabled={subscribe.busy}>Subscribe</button>}
          <button type="button" onClick={() => void gift.run()} disabled={gift.busy}>Gift a month</button>
        </div>
      </form>
    </section>
  );
}
