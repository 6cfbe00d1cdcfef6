// The chat socket (protocol version 1, docs/chat.md): messages, donations, subscriptions,
// raids, moderation and modes.
import { useCallback, useEffect, useRef, useState } from "react";
import { randomId } from "./api";

export interface ChatMessage {
  kind: "message";
  id: string;
  user_id: string;
  username: string;
  display_name: string;
  text: string;
  badges: string[];
  emotes: string[];
  bits: number;
  color?: string;
  reply?: ReplyParent | null;
  announcement?: string | null;
}

export interface ReplyParent {
  message_id: string;
  user_id: string;
  username: string;
  display_name: string;
  text: string;
}

export interface Donation {
  kind: "donation";
  id: string;
  display_name: string;
  amount: number;
  currency: string;
  message: string;
}

export interface Notice {
  kind: "notice";
  id: string;
  text: string;
}

export interface SubscriptionNotice {
  kind: "subscription";
  id: string;
  text: string;
}

export interface RaidNotice {
  kind: "raid";
  id: string;
  text: string;
}

// A shoutout in this chat: another broadcaster to go and see.
export interface ShoutoutNotice {
  kind: "shoutout";
  id: string;
  channel: string;
  name: string;
}

// The raid this channel is on: counting down, then gone (players follow it to the target).
export interface RaidCall {
  target: string;
  displayName: string;
  goesAt: string;
  went: boolean;
}

export type ChatEntry = ChatMessage | Donation | Notice | SubscriptionNotice | RaidNotice | ShoutoutNotice;
export type ChatStatus = "connecting" | "connected" | "reconnecting";

export interface Refusal {
  reason: string;
  message: string;
}

const KEEP = 200;
const RECONNECT_MAX_MS = 10_000;

type Frame = Record<string, unknown>;

function notice(text: string): Notice {
  return { kind: "notice", id: randomId(), text };
}

function describeModes(frame: Frame): string {
  const modes: string[] = [];
  if (Number(frame.slow_mode_s) > 0) modes.push(`slow mode (${String(frame.slow_mode_s)} s)`);
  if (frame.followers_only_s !== null && frame.followers_only_s !== undefined) modes.push("followers-only");
  if (frame.subscriber_only) modes.push("subscriber-only");
  if (frame.emote_only) modes.push("emote-only");
  return modes.length ? `Chat modes: ${modes.join(", ")}.` : "Chat modes are off.";
}

// Replies keep no quote of what a moderator removed.
function unquote(entries: ChatEntry[], removed: (parent: ReplyParent) => boolean): ChatEntry[] {
  return entries.map((e) => e.kind === "message" && e.reply && removed(e.reply)
    ? { ...e, reply: { ...e.reply, text: "(removed by a moderator)" } }
    : e);
}

// What a moderation frame does to the entries shown.
function moderate(entries: ChatEntry[], frame: Frame): ChatEntry[] {
  const target = String(frame.target_username ?? "");
  const reason = frame.reason ? ` (${String(frame.reason)})` : "";
  switch (frame.action) {
    case "delete":
      return unquote(entries.filter((e) => e.id !== frame.message_id),
        (parent) => parent.message_id === frame.message_id);
    case "clear":
      return [notice("The chat was cleared by a moderator.")];
    case "ban":
    case "timeout": {
      const kept = frame.hide_history
        ? unquote(entries.filter((e) => e.kind !== "message" || e.user_id !== frame.target_user_id),
          (parent) => parent.user_id === frame.target_user_id)
        : entries;
      const what = frame.action === "ban" ? "was banned" : `was timed out for ${String(frame.duration_s)} s`;
      return [...kept, notice(`${target} ${what}${reason}.`)];
    }
    case "unban":
      return [...entries, notice(`${target} may chat again.`)];
    default:
      return entries;
  }
}

function describeSubscription(frame: Frame): string {
  const name = String(frame.display_name || frame.username || "Someone");
  const tier = `Tier ${String(frame.tier).slice(0, 1)}`;
  const recipient = (frame.recipient ?? {}) as Frame;
  switch (frame.kind) {
    case "resub":
      return `${name} subscribed at ${tier}: ${String(frame.months)} months!`;
    case "subgift":
      return `${name} gifted a ${tier} sub to ${String(recipient.display_name || recipient.username)}!`;
    case "submysterygift":
      return `${name} is gifting ${String(frame.gift_count)} ${tier} subs to the community!`;
    default:
      return `${name} subscribed at ${tier}!`;
  }
}

function entryOf(frame: Frame): ChatEntry | null {
  if (frame.type === "subscription") {
    return { kind: "subscription", id: String(frame.id), text: describeSubscription(frame) };
  }
  if (frame.type === "raid") {
    const name = String(frame.display_name || frame.username);
    return { kind: "raid", id: String(frame.id), text: `${name} is raiding with a party of ${String(frame.viewers)}!` };
  }
  if (frame.type === "shoutout") {
    return { kind: "shoutout", id: String(frame.id), channel: String(frame.username), name: String(frame.display_name || frame.username) };
  }
  if (frame.type === "message") return { ...(frame as unknown as ChatMessage), kind: "message" };
  if (frame.type === "donation") return { ...(frame as unknown as Donation), kind: "donation" };
  return null;
}

export function useChat(channel: string, token: string | null, renew: () => Promise<void>) {
  const [entries, setEntries] = useState<ChatEntry[]>([]);
  const [status, setStatus] = useState<ChatStatus>("connecting");
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [raid, setRaid] = useState<RaidCall | null>(null);
  const socket = useRef<WebSocket | null>(null);

  useEffect(() => {
    let closed = false;
    let attempt = 0;
    let timer: number | undefined;
    const receive = (frame: Frame) => {
      if (frame.type === "moderation") setEntries((list) => moderate(list, frame));
      else if (frame.type === "modes") setEntries((list) => [...list, notice(describeModes(frame))].slice(-KEEP));
      // An expired token: a new one reconnects the socket with it.
      else if (frame.type === "error" && frame.reason === "invalid_token" && !frame.nonce) {
        renew().catch(() => setRefusal({ reason: "signed_out", message: "Your session has ended; log in again to chat." }));
      } else if (frame.type === "error") setRefusal({ reason: String(frame.reason), message: String(frame.message) });
      else if (frame.type === "ack") setRefusal(null);
      else if (frame.type === "raid_canceled") setRaid(null);
      else if (frame.type === "raid_countdown" || frame.type === "raid_go") {
        setRaid((known) => ({
          target: String(frame.target), displayName: String(frame.target_display_name || frame.target),
          goesAt: String(frame.goes_at ?? known?.goesAt ?? new Date().toISOString()),
          went: frame.type === "raid_go",
        }));
      }
      else {
        const entry = entryOf(frame);
        if (entry) setEntries((list) => [...list, entry].slice(-KEEP));
      }
    };
    const connect = () => {
      const scheme = window.location.protocol === "https:" ? "wss" : "ws";
      const ws = new WebSocket(`${scheme}://${window.location.host}/ws/channels/${channel}`);
      socket.current = ws;
      ws.onopen = () => {
        attempt = 0;
        if (token) ws.send(JSON.stringify({ type: "auth", token }));
        setStatus("connected");
      };
      ws.onmessage = (event) => receive(JSON.parse(String(event.data)) as Frame);
      ws.onclose = () => {
        if (closed) return;
        setStatus("reconnecting");
        timer = window.setTimeout(connect, Math.min(RECONNECT_MAX_MS, 500 * 2 ** attempt++));
      };
    };
    connect();
    return () => {
      closed = true;
      window.clearTimeout(timer);
      socket.current?.close();
      socket.current = null;
    };
  }, [channel, token, renew]);

  const send = useCallback((text: string, replyTo?: string): boolean => {
    const ws = socket.current;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      setRefusal({ reason: "disconnected", message: "The chat is not connected; try again in a moment." });
      return false;
    }
    ws.send(JSON.stringify({ type: "message", text, nonce: randomId(), reply_to: replyTo }));
    return true;
  }, []);

  return { entries, status, refusal, send, raid };
}
