import { useState } from "react";
import { ErrorNote, onSubmit, useAction } from "../components/feedback";
import { Link, navigate } from "../router";
import { useSession } from "../session";

export function LogIn({ next }: { next: string }) {
  const { logIn } = useSession();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const action = useAction(async () => {
    await logIn(username, password);
    navigate(next);
  });
  return (
    <section className="narrow" aria-labelledby="login-title">
      <h1 id="login-title">Log in</h1>
      <form onSubmit={onSubmit(action.run)} className="stack">
        <label>Username or email
          <input name="username" autoComplete="username" required value={username}
            onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>Password
          <input name="password" type="password" autoComplete="current-password" required
            value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <ErrorNote error={action.error} />
        <button type="submit" disabled={action.busy}>{action.busy ? "Logging in…" : "Log in"}</button>
      </form>
      <p>New here? <Link href="/signup">Sign up</Link></p>
    </section>
  );
}

export function SignUp() {
  const { signUp } = useSession();
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const action = useAction(async () => {
    await signUp(username, email, password);
    navigate("/dashboard");
  });
  return (
    <section className="narrow" aria-labelledby="signup-title">
      <h1 id="signup-title">Sign up</h1>
      <form onSubmit={onSubmit(action.run)} className="stack">
        <label>Username
          <input name="username" autoComplete="username" required minLength={4} maxLength={25}
            pattern="[A-Za-z0-9_]+" value={username} onChange={(e) => setUsername(e.target.value)}
            aria-describedby="username-help" />
          <small id="username-help">4–25 letters, digits or underscores; also your channel's name.</small>
        </label>
        <label>Email
          <input name="email" type="email" autoComplete="email" required value={email}
            onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>Password
          <input name="password" type="password" autoComplete="new-password" required minLength={8}
            maxLength={128} value={password} onChange={(e) => setPassword(e.target.value)}
            aria-describedby="password-help" />
          <small id="password-help">8–128 characters, not a common password.</small>
        </label>
        <ErrorNote error={action.error} />
        <button type="submit" disabled={action.busy}>{action.busy ? "Creating your account…" : "Sign up"}</button>
      </form>
      <p>Have an account? <Link href="/login">Log in</Link></p>
    </section>
  );
}
