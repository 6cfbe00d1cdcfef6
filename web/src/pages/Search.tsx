import { useState } from "react";
import { request } from "../api";
import type { Channel, Page } from "../api";
import { ChannelList } from "../components/ChannelList";
import { ErrorNote, Loading, onSubmit, useLoad } from "../components/feedback";
import { navigate } from "../router";

export function Search({ query }: { query: string }) {
  const [text, setText] = useState(query);
  const results = useLoad(
    () => (query ? request<Page<Channel>>(`/api/v1/search?query=${encodeURIComponent(query)}&first=30`)
      : Promise.resolve({ data: [] })),
    query,
  );
  const submit = onSubmit(() => navigate(`/search?q=${encodeURIComponent(text.trim())}`));
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">Search channels</h1>
      <form role="search" onSubmit={submit} className="row">
        <label className="grow">
          <span className="sr-only">Channel, title or category</span>
          <input type="search" value={text} onChange={(e) => setText(e.target.value)}
            placeholder="Channel, title or category" required maxLength={100} />
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorNote error={results.error} />
      {results.loading ? <Loading what="results" /> : query && results.data && (
        <ChannelList channels={results.data.data} empty={`Nothing found for “${query}”.`} />
      )}
    </section>
  );
}
