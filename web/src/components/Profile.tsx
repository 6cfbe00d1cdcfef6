import { useState } from "react";
import { ErrorNote, onSubmit, useAction, useLoad } from "./feedback";
import { Avatar } from "./Avatar";
import { useSession } from "../session";

interface Me {
  username: string;
  display_name: string;
  profile_image_url: string | null;
  chat_color: string;
}

// The signed-in user's face and chat colour.
export function Profile() {
  const { call, username } = useSession();
  const me = useLoad(() => call<{ data: Me }>("/api/v1/users/me"), username ?? "");
  const [color, setColor] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useAction(async () => {
    setSaved(false);
    if (file) await call("/api/v1/users/me/image", { method: "PUT", file });
    if (color) await call("/api/v1/users/me", { method: "PATCH", body: { chat_color: color } });
    setSaved(true);
    window.setTimeout(me.reload, 1000);
  });
  const data = me.data?.data;
  if (!data) return <ErrorNote error={me.error} />;
  const shown = color ?? data.chat_color;
  return (
    <section className="panel" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <form onSubmit={onSubmit(save.run)} className="stack">
        <div className="row identity">
          <Avatar name={data.display_name} image={data.profile_image_url} size={56} />
          <strong style={{ color: shown }} data-testid="chat-name">{data.display_name}</strong>
        </div>
        <label>Profile image (PNG, JPEG, GIF or WebP, at most 2 MB)
          <input type="file" accept="image/png,image/jpeg,image/gif,image/webp"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <label>Chat colour
          <input type="color" value={shown} onChange={(e) => setColor(e.target.value)} />
        </label>
        <ErrorNote error={save.error} />
        {saved && <p className="success" role="status">Profile saved.</p>}
        <button type="submit" disabled={save.busy || (!file && !color)}>Save profile</button>
      </form>
    </section>
  );
}
