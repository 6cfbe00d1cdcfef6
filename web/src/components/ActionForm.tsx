import { useState } from "react";
import type { ReactNode } from "react";
import { ErrorNote, onSubmit, useAction } from "./feedback";

// A form that runs one API call and says when it is done.
export function ActionForm({ label, done, action, children }: {
  label: string; done: string; action(): Promise<void>; children: ReactNode;
}) {
  const [ok, setOk] = useState(false);
  const run = useAction(async () => {
    setOk(false);
    await action();
    setOk(true);
  });
  return (
    <form onSubmit={onSubmit(run.run)} className="stack bordered">
      {children}
      <ErrorNote error={run.error} />
      {ok && <p className="success" role="status">{done}</p>}
      <button type="submit" disabled={run.busy}>{label}</button>
    </form>
  );
}
