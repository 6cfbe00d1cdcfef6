import { Following } from "./components/Following";
import { Activate } from "./pages/Activate";
import { Category } from "./pages/Category";
import { Channel } from "./pages/Channel";
import { Clip } from "./pages/Clip";
import { Dashboard } from "./pages/Dashboard";
import { Home } from "./pages/Home";
import { LogIn, SignUp } from "./pages/Account";
import { Search } from "./pages/Search";
import { Video } from "./pages/Video";
import { Link, useLocation } from "./router";
import { useSession } from "./session";

function Page({ url }: { url: URL }) {
  const { username } = useSession();
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const channel = /^\/channels\/([A-Za-z0-9_]+)$/.exec(path);
  if (channel) return <Channel key={channel[1]} name={channel[1].toLowerCase()} />;
  const video = /^\/videos\/([0-9a-f-]{36})$/.exec(path);
  if (video) return <Video key={video[1]} id={video[1]} />;
  const clip = /^\/clips\/([0-9a-f-]{36})$/.exec(path);
  if (clip) return <Clip key={clip[1]} id={clip[1]} />;
  const category = /^\/categories\/([^/]+)$/.exec(path);
  if (category) {
    let name: string | null = null;
    try {
      name = decodeURIComponent(category[1]);
    } catch {
      // A malformed address names no category: the page-not-found answer below.
    }
    if (name !== null) return <Category key={name} name={name} />;
  }
  switch (path) {
    case "/":
      return <Home />;
    case "/search":
      return <Search key={url.search} query={url.searchParams.get("q") ?? ""} />;
    case "/login":
      return <LogIn next={url.searchParams.get("next") ?? "/"} />;
    case "/signup":
      return <SignUp />;
    case "/activate": {
      const code = url.searchParams.get("device-code") ?? "";
      return username ? <Activate code={code} />
        : <LogIn next={`/activate?device-code=${encodeURIComponent(code)}`} />;
    }
    case "/dashboard":
      return username ? <Dashboard channel={username} /> : <LogIn next="/dashboard" />;
    default:
      return (
        <section>
          <h1>Page not found</h1>
          <p>Nothing lives at {path}. <Link href="/">Back to live channels</Link></p>
        </section>
      );
  }
}

export function App() {
  const url = useLocation();
  const { username, logOut } = useSession();
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <Link href="/" className="brand">Castline</Link>
        <nav aria-label="Main">
          <Link href="/">Live</Link>
          <Link href="/search">Search</Link>
          {username ? (
            <>
              <Link href="/dashboard">Dashboard</Link>
              <span className="muted" aria-label="Signed in as">{username}</span>
              <button type="button" className="link" onClick={logOut}>Log out</button>
            </>
          ) : (
            <>
              <Link href={`/login?next=${encodeURIComponent(url.pathname)}`}>Log in</Link>
              <Link href="/signup">Sign up</Link>
            </>
          )}
        </nav>
      </header>
      <div className={username ? "layout with-following" : "layout"}>
        <Following key={username ?? ""} />
        <main id="main" tabIndex={-1}>
          <Page url={url} />
        </main>
      </div>
    </>
  );
}
