import { useLayoutEffect, useRef, useState } from "react";
import type { ReactNode } from "react";
import { formatMoney } from "../api";
import type { ChatEntry, ChatMessage, ChatStatus, Refusal, ReplyParent } from "../chat";
import { Link } from "../router";
import { Face } from "./Faces";
import { onSubmit } from "./feedback";

const BADGES: Record<string, string> = { broadcaster: "Broadcaster", moderator: "Mod" };

// "subscriber/2000" is a tier 2 subscriber.
function badgeLabel(badge: string): string {
  const [kind, tier] = badge.split("/");
  return kind === "subscriber" ? `Sub T${Number(tier) / 1000}` : BADGES[badge] ?? badge;
}

// The global emotes' images by name (web/src/emotes, drawn for the project).
const EMOTES: Record<string, string> = Object.fromEntries(
  Object.entries(import.meta.glob<string>("../emotes/*.svg", { eager: true, query: "?url", import: "default" }))
    .map(([path, url]) => [path.replace(/^.*\/(.+)\.svg$/, "$1"), url]));

function Emote({ name }: { name: string }) {
  const src = EMOTES[name];
  if (!src) return <span className="emote">{name}</span>;
  return <img className="emote-image" src={src} alt={name} title={name} width={28} height={28} />;
}

// The text with its emotes ("name:start-end", where the decider found them) and cheer words
// marked up. The positions count code points, as Python's strings and Twitch's tags do, so the
// text is cut as an array of code points, never by JavaScript's UTF-16 units.
function MessageText({ message }: { message: ChatMessage }) {
  const parts: ReactNode[] = [];
  const chars = Array.from(message.text);
  const spans = message.emotes
    .map((emote) => /^(.+):(\d+)-(\d+)$/.exec(emote))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1], start: Number(m[2]), end: Number(m[3]) }))
    .sort((a, b) => a.start - b.start);
  let at = 0;
  for (const span of spans) {
    parts.push(chars.slice(at, span.start).join(""));
    parts.push(<Emote key={span.start} name={span.name} />);
    at = span.end + 1;
  }
  parts.push(chars.slice(at).join(""));
  return <span className="text">{parts}</span>;
}

function Quote({ parent }: { parent: ReplyParent }) {
  return (
    <span className="reply-quote">↪ Replying to @{parent.display_name || parent.username}: {parent.text}</span>
  );
}

export interface Moderation {
  timeOut(username: string): void;
  remove(messageId: string): void;
}

function lineClass(message: ChatMessage): string {
  if (message.announcement) return `message announcement ${message.announcement}`;
  return message.bits ? "message cheer" : "message";
}

interface LineProps {
  entry: ChatEntry;
  self: string | null;
  moderation?: Moderation;
  replyTo?(message: ChatMessage): void;
}

function Line({ entry, self, moderation, replyTo }: LineProps) {
  if (entry.kind === "notice") return <li className="notice">{entry.text}</li>;
  if (entry.kind === "subscription") return <li className="subscription">★ {entry.text}</li>;
  if (entry.kind === "raid") return <li className="subscription raid-notice">⚑ {entry.text}</li>;
  if (entry.kind === "shoutout") {
    return (
      <li className="subscription shoutout-notice">
        📣 Go and check out <Link href={`/channels/${entry.channel}`}>{entry.name}</Link>!
      </li>
    );
  }
  if (entry.kind === "donation") {
    return (
      <li className="donation">
        <strong>{entry.display_name}</strong> donated {formatMoney(entry.amount, entry.currency)}
        {entry.message && <>: {entry.message}</>}
      </li>
    );
  }
  const mine = entry.username === self;
  return (
    <li className={lineClass(entry)} data-username={entry.username}>
      {entry.announcement && <span className="announcement-title">Announcement</span>}
      {entry.reply && <Quote parent={entry.reply} />}
      {entry.badges.map((badge) => <span key={badge} className={`badge ${badge.split("/")[0]}`}>{badgeLabel(badge)}</span>)}
      <Face username={entry.username} name={entry.display_name} />{" "}
      <strong className="author" style={entry.color ? { color: entry.color } : undefined}>{entry.display_name}</strong>
      {entry.bits > 0 && <span className="bits">◆ {entry.bits} bits</span>}
      {": "}
      <MessageText message={entry} />
      {replyTo && (
        <button type="button" className="small reply-button" onClick={() => replyTo(entry)}
          aria-label={`Reply to ${entry.username}`}>Reply</button>
      )}
      {moderation && !mine && !entry.badges.includes("broadcaster") && (
        <span className="mod-actions">
          <button type="button" className="small" onClick={() => moderation.remove(entry.id)}
            aria-label={`Delete message from ${entry.username}`}>Delete</button>
          <button type="button" className="small" onClick={() => moderation.timeOut(entry.username)}
            aria-label={`Time out ${entry.username} for 10 minutes`}>Timeout</button>
        </span>
      )}
    </li>
  );
}

interface ChatProps {
  entries: ChatEntry[];
  status: ChatStatus;
  refusal: Refusal | null;
  send(text: string, replyTo?: string): boolean;
  self: string | null;
  moderation?: Moderation;
  moderationError?: ReactNode;
}

export function Chat({ entries, status, refusal, send, self, moderation, moderationError }: ChatProps) {
  const [text, setText] = useState("");
  const [replying, setReplying] = useState<ChatMessage | null>(null);
  const list = useRef<HTMLOListElement>(null);
  // Chat stays at the newest line unless the reader scrolled up to read; then it waits. New
  // lines are scrolled to before the browser paints them, so no scroll event ever sees them
  // unscrolled and takes that for the reader's own scrolling.
  const following = useRef(true);
  const [unseen, setUnseen] = useState(false);
  const toNewest = () => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
    following.current = true;
    setUnseen(false);
  };
  useLayoutEffect(() => {
    if (following.current) list.current?.scrollTo({ top: list.current.scrollHeight });
    else setUnseen(true);
  }, [entries]);
  const scrolled = () => {
    const element = list.current;
    if (!element) return;
    following.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
    if (following.current) setUnseen(false);
  };
  const sent = () => {
    setText("");
    setReplying(null);
  };
  const submit = onSubmit(() => text.trim() && send(text, replying?.id) && sent());
  return (
    <section className="chat" aria-labelledby="chat-title">
      <h2 id="chat-title">Chat <span className="muted small-text">{status === "connected" ? "" : `(${status}…)`}</span></h2>
      <ol ref={list} className="chat-lines" aria-live="polite" aria-label="Chat messages"
        onScroll={scrolled} tabIndex={0}>
        {entries.map((entry) => (
          <Line key={entry.id} entry={entry} self={self} moderation={moderation}
            replyTo={self ? setReplying : undefined} />
        ))}
      </ol>
      {unseen && (
        <button type="button" className="small more-below" onClick={toNewest}>More messages below</button>
      )}
      {moderationError}
      {refusal && (
        <p className="error" role="alert" data-reason={refusal.reason}>{refusal.message}</p>
      )}
      {self ? (
        <form onSubmit={submit} className="row">
          {replying && (
            <p className="replying" data-testid="replying">
              Replying to @{replying.display_name}: {replying.text}{" "}
              <button type="button" className="small" onClick={() => setReplying(null)}
                aria-label="Cancel the reply">×</button>
            </p>
          )}
          <label className="grow">
            <span className="sr-only">Send a message</span>
            <input value={text} onChange={(e) => setText(e.target.value)} maxLength={500}
              placeholder="Send a message (cheer100 … to cheer)" />
          </label>
          <button type="submit">Chat</button>
        </form>
      ) : (
        <p><Link href={`/login?next=${encodeURIComponent(window.location.pathname)}`}>Log in</Link> to chat.</p>
      )}
    </section>
  );
}
