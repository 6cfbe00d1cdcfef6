import { useState } from "react";
import { request } from "../api";
import { ErrorNote, Loading, useLoad } from "./feedback";
import { ActionForm } from "./ActionForm";
import { useSession } from "../session";

interface Modes {
  slow_mode_s: number;
  followers_only_s: number | null;
  subscriber_only: boolean;
  emote_only: boolean;
}

// The chat modes form, filled with the modes in force.
export function ChatModes({ channel }: { channel: string }) {
  const modes = useLoad(() => request<{ data: Modes }>(`/api/v1/channels/${channel}/chat/settings`), channel);
  if (!modes.data) return modes.error ? <ErrorNote error={modes.error} /> : <Loading what="chat modes" />;
  return <ModesForm channel={channel} initial={modes.data.data} />;
}

function ModesForm({ channel, initial }: { channel: string; initial: Modes }) {
  const { call } = useSession();
  const [slow, setSlow] = useState(initial.slow_mode_s);
  const [followersOnly, setFollowersOnly] = useState(initial.followers_only_s !== null);
  const [followedMinutes, setFollowedMinutes] = useState(Math.round((initial.followers_only_s ?? 0) / 60));
  const [subscriberOnly, setSubscriberOnly] = useState(initial.subscriber_only);
  const [emoteOnly, setEmoteOnly] = useState(initial.emote_only);
  const save = async () => {
    await call(`/api/v1/channels/${channel}/chat/settings`, {
    method: "PUT",
    body: {
      slow_mode_s: slow, followers_only_s: followersOnly ? followedMinutes * 60 : null,
      subscriber_only: subscriberOnly, emote_only: emoteOnly,
      },
    });
  };
  return (
    <ActionForm label="Save chat modes" done="Chat modes saved." action={save}>
      <label>Slow mode (seconds between messages)
        <input type="number" min={0} max={120} value={slow} onChange={(e) => setSlow(Number(e.target.value))} />
      </label>
      <label className="check"><input type="checkbox" checked={followersOnly} onChange={(e) => setFollowersOnly(e.target.checked)} /> Followers only</label>
      {followersOnly && (
        <label>Following for at least (minutes)
          <input type="number" min={0} max={129600} value={followedMinutes} onChange={(e) => setFollowedMinutes(Number(e.target.value))} />
        </label>
      )}
      <label className="check"><input type="checkbox" checked={subscriberOnly} onChange={(e) => setSubscriberOnly(e.target.checked)} /> Subscribers only</label>
      <label className="check"><input type="checkbox" checked={emoteOnly} onChange={(e) => setEmoteOnly(e.target.checked)} /> Emote only</label>
    </ActionForm>
  );
}
