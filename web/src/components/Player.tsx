import Hls from "hls.js";
import { type MutableRefObject, useEffect, useRef, useState } from "react";
import { ApiError } from "../api";
import { ClipButton } from "./Clips";
import { useSession } from "../session";

const HEARTBEAT_MS = 30_000;
const LATENCY_EVERY_MS = 1_000;

interface PlayerSession {
  player_token: string;
  heartbeat_every_s: number;
}

interface Level {
  index: number;
  label: string;
}

interface PlayerProps {
  channel: string;
  playlist: string;
  poster?: string;
  // A VOD's: where its player sessions and heartbeats go, who is told the playback time, and
  // its length as recorded (what a clip must end within; the playlist's may run a little over).
  video?: { id: string; durationS: number; onTime(seconds: number): void };
}

// hls.js (or the browser's own HLS) with a quality selector from the master playlist; a live
// channel's or a VOD's, whose views count by the same heartbeats.
export function Player({ channel, playlist, poster, video: vod }: PlayerProps) {
  const video = useRef<HTMLVideoElement>(null);
  const hls = useRef<Hls | null>(null);
  const [levels, setLevels] = useState<Level[]>([]);
  const [quality, setQuality] = useState(-1);
  const [problem, setProblem] = useState<string | null>(null);
  const latency = useLatency(hls);
  const { call } = useSession();
  const views = vod ? `/api/v1/videos/${vod.id}` : `/api/v1/channels/${channel}`;
  const onTime = vod?.onTime;

  useEffect(() => {
    const element = video.current;
    if (!element || !onTime) return;
    const told = () => onTime(element.currentTime);
    element.addEventListener("timeupdate", told);
    return () => element.removeEventListener("timeupdate", told);
  }, [onTime]);

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    if (!Hls.isSupported()) {
      element.src = playlist;
      return;
    }
    const player = new Hls({ liveSyncDurationCount: 2 });
    hls.current = player;
    player.on(Hls.Events.MANIFEST_PARSED, (_event, data) => {
      setProblem(null);
      setLevels(data.levels.map((level, index) => ({
        index, label: level.height ? `${level.height}p` : "Source",
      })));
      void element.play().catch(() => setProblem("Press play to start the stream."));
    });
    player.on(Hls.Events.ERROR, (_event, data) => {
      if (!data.fatal) return;
      setProblem(`The stream cannot be played right now (${data.details}); retrying…`);
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR) player.recoverMediaError();
      else window.setTimeout(() => player.loadSource(playlist), 3000);
    });
    player.loadSource(playlist);
    player.attachMedia(element);
    return () => {
      player.destroy();
      hls.current = null;
    };
  }, [playlist]);

  useEffect(() => {
    // A heartbeat carries the player token the server signs for this channel and address; a
    // refused token (expired, or the address changed) is replaced at the next beat.
    let stopped = false;
    let token: string | null = null;
    let timer: number | undefined;
    let everyMs = HEARTBEAT_MS;
    const playerToken = async (): Promise<string> => {
      if (!token) {
        const answer = await call<{ data: PlayerSession }>(
          `${views}/player-sessions`, { method: "POST" });
        token = answer.data.player_token;
        everyMs = answer.data.heartbeat_every_s * 1000;
      }
      return token;
    };
    const beat = async () => {
      if (video.current && !video.current.paused) {
        const level = hls.current?.levels[hls.current.currentLevel];
        const quality = level?.height ? { quality: `${level.height}p` } : {};
        try {
          const body = { player_token: await playerToken(), ...quality };
          await call(`${views}/heartbeat`, { body });
        } catch (error) {
          if (error instanceof ApiError && error.code === "invalid_player_token") token = null;
        }
      }
      if (!stopped) timer = window.setTimeout(() => void beat(), everyMs);
    };
    // The first beat as soon as the video plays, so this viewer counts from then on.
    let counted = false;
    const playing = () => {
      if (counted) return;
      counted = true;
      window.clearTimeout(timer);
      void beat();
    };
    const element = video.current;
    element?.addEventListener("playing", playing);
    if (element && !element.paused) playing();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      element?.removeEventListener("playing", playing);
    };
  }, [views, call]);

  const choose = (index: number) => {
    setQuality(index);
    if (hls.current) hls.current.currentLevel = index;
  };

  return (
    <div className="player">
      <video ref={video} controls muted playsInline autoPlay poster={poster}
        aria-label={vod ? `Past broadcast of ${channel}` : `Live stream of ${channel}`} />
      <div className="row">
        {problem && <p className="warning" role="status">{problem}</p>}
        <ClipButton channel={channel} videoId={vod?.id} time={() => ({
          at: video.current?.currentTime ?? 0, length: vod?.durationS ?? video.current?.duration ?? 0,
        })} />
        {latency !== null && !vod && (
          <span className="latency muted" title="How far behind the live edge this player is">
            Latency {latency.toFixed(1)} s
          </span>
        )}
        {levels.length > 0 && (
          <label className="inline push">
            Quality{" "}
            <select value={quality} onChange={(e) => choose(Number(e.target.value))}>
              <option value={-1}>Auto</option>
              {levels.map((level) => <option key={level.index} value={level.index}>{level.label}</option>)}
            </select>
          </label>
        )}
      </div>
    </div>
  );
}

// Seconds behind the live edge as hls.js estimates it, once a second while it plays.
function useLatency(hls: MutableRefObject<Hls | null>): number | null {
  const [latency, setLatency] = useState<number | null>(null);
  useEffect(() => {
    const timer = window.setInterval(() => {
      const value = hls.current?.latency;
      setLatency(value !== undefined && Number.isFinite(value) && value > 0 ? value : null);
    }, LATENCY_EVERY_MS);
    return () => window.clearInterval(timer);
  }, [hls]);
  return latency;
}
