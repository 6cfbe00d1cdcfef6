// The signed-in session: tokens in memory and sessionStorage (this tab only), refreshed with
// rotation when the access token is refused.
import { createContext, useCallback, useContext, useMemo, useRef, useState } from "react";
import type { ReactNode } from "react";
import { ApiError, request } from "./api";
import type { RequestOptions, Tokens } from "./api";

const CLIENT_ID = "castline-web";
const STORAGE_KEY = "castline.session";

interface Stored extends Tokens {
  username: string;
}

export interface Session {
  username: string | null;
  token: string | null;
  logIn(username: string, password: string): Promise<void>;
  signUp(username: string, email: string, password: string): Promise<void>;
  logOut(): void;
  // A new access token by the refresh token (a socket's sign-in was refused).
  renew(): Promise<void>;
  call<T>(path: string, options?: RequestOptions): Promise<T>;
}

const SessionContext = createContext<Session | null>(null);

function load(): Stored | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [stored, setStored] = useState<Stored | null>(load);
  const current = useRef(stored);
  const refreshing = useRef<Promise<string | null> | null>(null);

  const keep = useCallback((next: Stored | null) => {
    current.current = next;
    if (next) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    else sessionStorage.removeItem(STORAGE_KEY);
    setStored(next);
  }, []);

  const logIn = useCallback(async (username: string, password: string) => {
    const tokens = await request<Tokens>("/oauth2/token", {
      form: { grant_type: "password", username, password, client_id: CLIENT_ID },
    });
    keep({ ...tokens, username: username.toLowerCase() });
  }, [keep]);

  const signUp = useCallback(async (username: string, email: string, password: string) => {
    const created = await request<{ position: string | null }>("/api/v1/users", {
      body: { username, email, password },
    });
    // Wait until the account is readable, so the sign-in that follows finds it.
    const wait = created.position ? `?min_position=${encodeURIComponent(created.position)}` : "";
    await request(`/api/v1/users/${encodeURIComponent(username.toLowerCase())}${wait}`);
    await logIn(username, password);
  }, [logIn]);

  // Forgotten here at once; the server is asked to revoke the refresh token (and so the
  // session) on a best-effort basis.
  const logOut = useCallback(() => {
    const session = current.current;
    keep(null);
    if (session) {
      request("/oauth2/revoke", { form: { token: session.refresh_token, client_id: CLIENT_ID } })
        .catch(() => undefined);
    }
  }, [keep]);

  const refresh = useCallback(async (): Promise<string | null> => {
    const session = current.current;
    if (!session) return null;
    try {
      const tokens = await request<Tokens>("/oauth2/token", {
        form: { grant_type: "refresh_token", refresh_token: session.refresh_token, client_id: CLIENT_ID },
      });
      keep({ ...tokens, username: session.username });
      return tokens.access_token;
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) keep(null);
      throw error;
    }
  }, [keep]);

  // One refresh at a time: the refresh token rotates, so a second use of it would be refused.
  const renewToken = useCallback((): Promise<string | null> => {
    refreshing.current ??= refresh().finally(() => { refreshing.current = null; });
    return refreshing.current;
  }, [refresh]);
  const renew = useCallback(async () => { await renewToken(); }, [renewToken]);

  const call = useCallback(async <T,>(path: string, options: RequestOptions = {}): Promise<T> => {
    const token = current.current?.access_token;
    try {
      return await request<T>(path, { ...options, token });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401 || !token) throw error;
      // Another call may have renewed the token meanwhile.
      const newer = current.current?.access_token;
      const renewed = newer && newer !== token ? newer : await renewToken();
      if (!renewed) throw error;
      return request<T>(path, { ...options, token: renewed });
    }
  }, [renewToken]);

  const value = useMemo<Session>(() => ({
    username: stored?.username ?? null, token: stored?.access_token ?? null,
    logIn, signUp, logOut, call, renew,
  }), [stored, logIn, signUp, logOut, call, renew]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}
