// One @twurple/chat client against Castline, anonymous (twurple looks a token up at Twitch's own
// validate address, which no setting changes), over TCP: it dials port 6667 when not secure.
// Its events as JSON lines on stdout; {"quit": true} on stdin stops it.
// Settings: argv[2], JSON {host, channel}.
import readline from "node:readline";
import { ChatClient } from "@twurple/chat";

const settings = JSON.parse(process.argv[2]);
const report = (event, fields) => process.stdout.write(JSON.stringify({ event, ...fields }) + "\n");
const client = new ChatClient({
  hostName: settings.host, ssl: false, webSocket: false, channels: [settings.channel],
  logger: { custom: (level, text) => { if (level <= 1) report("log_error", { text }); } },
});

client.onConnect(() => report("connected", {}));
client.onJoin((channel, user) => report("join", { channel, user }));
client.onMessage((channel, user, text, msg) =>
  report("message", { channel, user, text, id: msg.id, badges: Object.fromEntries(msg.userInfo.badges) }));
client.onSlow((channel, enabled, delay) => report("slowmode", { channel, enabled, delay }));
client.onBan((channel, user) => report("ban", { channel, user }));
client.onTimeout((channel, user, duration) => report("timeout", { channel, user, duration }));
client.onDisconnect((manually, reason) => report("disconnected", { manually, reason: String(reason) }));

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  if (JSON.parse(line).quit) {
    client.quit();
    process.exit(0);
  }
});

client.connect();
