// The broadcaster's moderation tools: bans and timeouts, chat modes, blocked terms, moderators.
import { useState } from "react";
import { request } from "../api";
import type { Page } from "../api";
import { ActionForm } from "./ActionForm";
import { ErrorNote, useAction, useLoad } from "./feedback";
import { useSession } from "../session";
import { ChatModes } from "./ChatModes";

export function Moderation({ channel }: { channel: string }) {
  const { call } = useSession();
  const base = `/api/v1/channels/${channel}`;
  const [target, setTarget] = useState("");
  const [duration, setDuration] = useState("");
  const [reason, setReason] = useState("");
  const [terms, setTerms] = useState("");
  const [moderator, setModerator] = useState("");
  const moderators = useLoad(() => request<Page<{ username: string }>>(`${base}/moderators`), channel);
  const removeModerator = useAction(async (name: string) => {
    await call(`${base}/moderators/${name}`, { method: "DELETE" });
    moderators.reload();
  });
  const clear = useAction(async () => { await call(`${base}/chat/messages`, { method: "DELETE" }); });
  return (
    <section className="panel wide" aria-labelledby="moderation-title">
      <h2 id="moderation-title">Moderation</h2>
      <div className="panels">
        <ActionForm label="Ban or time out" done="Done." action={() => call(`${base}/chat/bans`, {
          body: { username: target, ...(duration ? { duration_s: Number(duration) } : {}), ...(reason ? { reason } : {}) },
        })}>
          <label>Username<input required value={target} onChange={(e) => setTarget(e.target.value)} /></label>
          <label>Timeout in seconds (empty bans)
            <input type="number" min={1} max={1209600} value={duration} onChange={(e) => setDuration(e.target.value)} />
          </label>
          <label>Reason<input maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} /></label>
        </ActionForm>
        <ActionForm label="Lift ban or timeout" done="Lifted." action={() => call(`${base}/chat/bans/${target}`, { method: "DELETE" })}>
          <p className="muted">Lifts the ban or timeout of the username above.</p>
        </ActionForm>
        <ChatModes channel={channel} />
        <ActionForm label="Save blocked terms" done="Blocked terms saved." action={() => call(`${base}/chat/blocked-terms`, {
          method: "PUT", body: { terms: terms.split(",").map((t) => t.trim()).filter(Boolean) },
        })}>
          <label>Blocked terms (comma-separated)
            <input value={terms} onChange={(e) => setTerms(e.target.value)} />
          </label>
        </ActionForm>
        <ActionForm label="Add moderator" done="Moderator added." action={async () => {
          await call(`${base}/moderators`, { body: { username: moderator } });
          moderators.reload();
        }}>
          <label>Username<input required value={moderator} onChange={(e) => setModerator(e.target.value)} /></label>
          <ul aria-label="Moderators">
            {(moderators.data?.data ?? []).map((m) => (
              <li key={m.username}>{m.username}{" "}
                <button type="button" className="small" onClick={() => void removeModerator.run(m.username)}>Remove</button>
              </li>
            ))}
          </ul>
          <ErrorNote error={moderators.error ?? removeModerator.error} />
        </ActionForm>
        <div className="stack bordered">
          <p>Hide every message in the chat so far.</p>
          <ErrorNote error={clear.error} />
          <button type="button" onClick={() => void clear.run()} disabled={clear.busy}>Clear chat</button>
        </div>
      </div>
    </section>
  );
}
