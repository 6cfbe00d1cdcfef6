// Follow, buy bits and cheer, donate: the viewer's ways to support a channel.
import { useState } from "react";
import { formatMoney, randomId } from "../api";
import type { Page } from "../api";
import { ErrorNote, onSubmit, useAction, useLoad } from "./feedback";
import { useSession } from "../session";

export function CardNumber({ id, value, onChange }: { id: string; value: string; onChange(card: string): void }) {
  return (
    <label>Card number
      <input inputMode="numeric" autoComplete="cc-number" required value={value}
        onChange={(e) => onChange(e.target.value)} aria-describedby={id} />
      <small id={id}>Sandbox test card: 4242 4242 4242 4242</small>
    </label>
  );
}

export function FollowButton({ channel }: { channel: string }) {
  const { call, token } = useSession();
  const following = useLoad(
    () => call<Page<{ name: string }>>("/api/v1/users/me/following?first=100")
      .then((page) => page.data.some((c) => c.name === channel)),
    `${channel}:${token ?? ""}`,
  );
  const [state, setState] = useState<boolean | null>(null);
  const followed = state ?? following.data ?? false;
  const toggle = useAction(async () => {
    await call(`/api/v1/channels/${channel}/follow`, { method: followed ? "DELETE" : "POST" });
    setState(!followed);
  });
  return (
    <div>
      <button type="button" onClick={() => void toggle.run()} disabled={toggle.busy}
        aria-pressed={followed}>{followed ? "Unfollow" : "Follow"}</button>
      <ErrorNote error={toggle.error} />
    </div>
  );
}

interface Pack {
  pack: number;
  price: { amount: number; currency: string };
}

export function CheerPanel({ send }: { send(text: string): boolean }) {
  const { call } = useSession();
  const [position, setPosition] = useState("");
  const balance = useLoad(
    () => call<{ data: { balance: number } }>(
      `/api/v1/users/me/bits${position ? `?min_position=${encodeURIComponent(position)}` : ""}`),
    position, 10_000);
  const packs = useLoad(() => call<Page<Pack>>("/api/v1/bits/packs"), "");
  const [pack, setPack] = useState(100);
  const [card, setCard] = useState("");
  const [bits, setBits] = useState(100);
  const [message, setMessage] = useState("");
  const buy = useAction(async () => {
    const bought = await call<{ position: string | null }>("/api/v1/bits/purchases", {
      body: { pack, card_number: card.replace(/\s+/g, "") }, idempotencyKey: randomId(),
    });
    setPosition(bought.position ?? "");
    balance.reload();
  });
  const cheer = onSubmit(() => send(`cheer${bits} ${message}`.trim()) && setMessage(""));
  return (
    <section className="panel" aria-labelledby="bits-title">
      <h2 id="bits-title">Bits</h2>
      <p>Your balance: <strong data-testid="bits-balance">{balance.data?.data.balance ?? "…"}</strong> bits</p>
      <ErrorNote error={balance.error ?? packs.error} />
      <form onSubmit={onSubmit(buy.run)} className="stack">
        <label>Pack
          <select value={pack} onChange={(e) => setPack(Number(e.target.value))}>
            {(packs.data?.data ?? []).map((p) => (
              <option key={p.pack} value={p.pack}>{p.pack} bits for {formatMoney(p.price.amount, p.price.currency)}</option>
            ))}
          </select>
        </label>
        <CardNumber id="bits-card-help" value={card} onChange={setCard} />
        <ErrorNote error={buy.error} />
        <button type="submit" disabled={buy.busy}>{buy.busy ? "Buying…" : "Buy bits"}</button>
      </form>
      <form onSubmit={cheer} className="stack">
        <label>Bits to cheer
          <input type="number" min={1} required value={bits} onChange={(e) => setBits(Number(e.target.value))} />
        </label>
        <label>Cheer message
          <input value={message} maxLength={450} onChange={(e) => setMessage(e.target.value)} />
        </label>
        <button type="submit">Cheer</button>
      </form>
    </section>
  );
}

export function DonatePanel({ channel }: { channel: string }) {
  const { call } = useSession();
  const [amount, setAmount] = useState("5.00");
  const [currency, setCurrency] = useState("USD");
  const [message, setMessage] = useState("");
  const [card, setCard] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const donate = useAction(async () => {
    setDone(null);
    const minor = Math.round(Number(amount) * 100);
    await call(`/api/v1/channels/${channel}/donations`, {
      body: { amount: minor, currency, message, card_number: card.replace(/\s+/g, "") },
      idempotencyKey: randomId(),
    });
    setDone(`Thank you! You donated ${formatMoney(minor, currency)}.`);
    setMessage("");
  });
  return (
    <section className="panel" aria-labelledby="donate-title">
      <h2 id="donate-title">Donate</h2>
      <form onSubmit={onSubmit(donate.run)} className="stack">
        <div className="row">
          <label className="grow">Amount
            <input type="number" min="1" step="0.01" required value={amount} onChange={(e) => setAmount(e.target.value)} />
          </label>
          <label>Currency
            <select value={currency} onChange={(e) => setCurrency(e.target.value)}>
              <option>USD</option><option>EUR</option><option>GBP</option>
            </select>
          </label>
        </div>
        <label>Message
          <input value={message} maxLength={500} onChange={(e) => setMessage(e.target.value)} />
        </label>
        <CardNumber id="donate-card-help" value={card} onChange={setCard} />
        <ErrorNote error={donate.error} />
        {done && <p className="success" role="status">{done}</p>}
        <button type="submit" disabled={donate.busy}>{donate.busy ? "Donating…" : "Donate"}</button>
      </form>
    </section>
  );
}
