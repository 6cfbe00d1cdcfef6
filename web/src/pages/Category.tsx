import { request } from "../api";
import type { Channel, Page } from "../api";
import { ChannelList } from "../components/ChannelList";
import { ErrorNote, Loading, useLoad } from "../components/feedback";

// A category's live channels, most watched first, refreshed as the directory is.
export function Category({ name }: { name: string }) {
  const streams = useLoad(
    () => request<Page<Channel>>(`/api/v1/streams?first=50&category=${encodeURIComponent(name)}`),
    name, 15_000);
  return (
    <section aria-labelledby="category-title">
      <h1 id="category-title">{name}</h1>
      <ErrorNote error={streams.error} />
      {streams.data ? (
        <ChannelList channels={streams.data.data} empty={`Nobody is live in ${name} right now.`} />
      ) : streams.loading && <Loading what={`live channels in ${name}`} />}
    </section>
  );
}
