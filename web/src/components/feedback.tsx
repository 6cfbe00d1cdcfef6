import { useCallback, useEffect, useState } from "react";
import type { FormEvent } from "react";
import { describe } from "../api";

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  return <p className="error" role="alert">{describe(error)}</p>;
}

export function Loading({ what }: { what: string }) {
  return <p className="muted" role="status">Loading {what}…</p>;
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

// Loads when `key` changes (and on reload); a stale answer never overwrites a newer one.
export function useLoad<T>(load: () => Promise<T>, key: string, everyMs?: number): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error: unknown; loading: boolean }>(
    { error: null, loading: true });
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) => current && setState((s) => ({ ...s, error, loading: false })),
    );
    const timer = everyMs ? window.setTimeout(reload, everyMs) : undefined;
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
    // `load` is recreated on every render; `key` says when what it loads changes.
  }, [key, round]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

// A form's submit handler: the page stays, the action runs.
export function onSubmit(action: () => unknown) {
  return (event: FormEvent) => {
    event.preventDefault();
    void action();
  };
}

// A form action: busy while it runs, its error kept to show.
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      await action(...args);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error };
}
