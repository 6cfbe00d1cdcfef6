// A device (a bot, a stream deck, a TV app) shows a code; the signed-in user enters it here and
// approves or denies what the device's app asks for (OAuth's device code flow).
import { useState } from "react";
import { ErrorNote, onSubmit, useAction } from "../components/feedback";
import { useSession } from "../session";

interface DeviceRequest {
  user_code: string;
  client_name: string;
  scopes: string[];
  status: "pending" | "approved" | "denied";
}

export function Activate({ code }: { code: string }) {
  const { call } = useSession();
  const [typed, setTyped] = useState(code);
  const [found, setFound] = useState<DeviceRequest | null>(null);
  const look = useAction(async () => {
    const path = `/api/v1/oauth2/device/${encodeURIComponent(typed.trim())}`;
    setFound((await call<{ data: DeviceRequest }>(path)).data);
  });
  const decide = useAction(async (approve: boolean) => {
    if (!found) return;
    const path = `/api/v1/oauth2/device/${encodeURIComponent(found.user_code)}`;
    setFound((await call<{ data: DeviceRequest }>(path, { body: { approve } })).data);
  });
  return (
    <section className="narrow" aria-labelledby="activate-title">
      <h1 id="activate-title">Activate a device</h1>
      <form onSubmit={onSubmit(look.run)} className="stack">
        <label>The code your device shows
          <input name="code" autoComplete="off" required maxLength={16} value={typed}
            onChange={(e) => setTyped(e.target.value)} />
        </label>
        <ErrorNote error={look.error} />
        <button type="submit" disabled={look.busy}>Continue</button>
      </form>
      {found && (
        <div className="stack" aria-live="polite">
          <p><strong>{found.client_name}</strong> asks to act for you with:</p>
          <ul>{found.scopes.map((scope) => <li key={scope}><code>{scope}</code></li>)}</ul>
          {found.status === "pending" ? (
            <p>
              <button type="button" disabled={decide.busy} onClick={() => void decide.run(true)}>Approve</button>{" "}
              <button type="button" className="link" disabled={decide.busy}
                onClick={() => void decide.run(false)}>Deny</button>
            </p>
          ) : (
            <p role="status">{found.status === "approved"
              ? "Approved: your device is signed in. You may close this page."
              : "Denied: the device was refused."}</p>
          )}
          <ErrorNote error={decide.error} />
        </div>
      )}
    </section>
  );
}
