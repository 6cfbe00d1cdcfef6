// @twurple/api and @twurple/eventsub-ws against Castline, pointed at it as at the Twitch CLI's
// mock API (TWURPLE_MOCK_API_PORT: Helix under /mock/, OAuth under /auth/, the EventSub
// WebSocket at /ws). Its events as JSON lines on stdout; actions as JSON lines on
// stdin ({"title": text}, {"stream": true}, {"quit": true}).
// Settings: argv[2], JSON {clientId, token, login}.
import readline from "node:readline";
import { ApiClient } from "@twurple/api";
import { StaticAuthProvider } from "@twurple/auth";
import { EventSubWsListener } from "@twurple/eventsub-ws";

const settings = JSON.parse(process.argv[2]);
const report = (event, fields) => process.stdout.write(JSON.stringify({ event, ...fields }) + "\n");
const failed = (action) => (error) => report("failed", { action, error: String(error) });
const logger = { custom: (level, text) => { if (level <= 1) report("log_error", { text }); } };
const api = new ApiClient({ authProvider: new StaticAuthProvider(settings.clientId, settings.token), logger });
const listener = new EventSubWsListener({ apiClient: api, logger });

async function start() {
  const me = await api.users.getUserByName(settings.login);
  report("user", { id: me.id, name: me.name, displayName: me.displayName });
  listener.onSubscriptionCreateSuccess((subscription) => report("subscribed", { id: subscription.id }));
  listener.onSubscriptionCreateFailure((subscription, error) => report("failed", { action: subscription.id, error: String(error) }));
  listener.onStreamOnline(me.id, (online) => report("stream.online", { broadcaster: online.broadcasterName, type: online.type }));
  listener.onChannelChatMessage(me.id, me.id, (said) => report("channel.chat.message", { text: said.messageText, chatter: said.chatterName }));
  listener.start();
  return me;
}

const ready = start();
ready.catch(failed("start"));

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const command = JSON.parse(line);
  if (command.quit) {
    listener.stop();
    process.exit(0);
  }
  ready.then(async (me) => {
    if (command.title !== undefined) {
      await api.channels.updateChannelInfo(me.id, { title: command.title });
      const channel = await api.channels.getChannelInfoById(me.id);
      report("channel", { title: channel.title, name: channel.name });
    } else if (command.stream) {
      const stream = await api.streams.getStreamByUserName(settings.login);
      report("stream", stream ? { type: stream.type, userName: stream.userName } : { type: null });
    }
  }).catch(failed(line));
});
