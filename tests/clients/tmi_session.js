// One tmi.js client against Castline, driven by a test: its events as JSON lines on stdout,
// its actions as JSON lines on stdin ({"say": text}, {"ban": user}, {"slowmode": seconds},
// {"quit": true}). Settings: argv[2], JSON {host, port, channel, username?, token?}.
"use strict";
const readline = require("readline");
const tmi = require("tmi.js");

const settings = JSON.parse(process.argv[2]);
const report = (event, fields) => process.stdout.write(JSON.stringify({ event, ...fields }) + "\n");
const client = new tmi.Client({
  options: { skipUpdatingEmotesets: true, skipMembership: false },
  connection: { server: settings.host, port: settings.port, secure: false, reconnect: false },
  identity: settings.token ? { username: settings.username, password: `oauth:${settings.token}` }
                           : undefined,
  channels: [settings.channel],
  logger: { info() {}, warn() {}, error: (text) => report("log_error", { text }) },
});

client.on("connected", () => report("connected", {}));
client.on("join", (channel, username, self) => report("join", { channel, username, self }));
client.on("roomstate", (channel, state) => report("roomstate", { channel, state }));
client.on("message", (channel, tags, text, self) => report("message", { channel, tags, text, self }));
client.on("ban", (channel, username) => report("ban", { channel, username }));
client.on("timeout", (channel, username, reason, duration) =>
  report("timeout", { channel, username, duration }));
client.on("notice", (channel, msgid, text) => report("notice", { channel, msgid, text }));
client.on("slowmode", (channel, enabled, length) => report("slowmode", { channel, enabled, length }));
client.on("subscription", (channel, username, methods) =>
  report("subscription", { channel, username, plan: methods.plan }));
client.on("subgift", (channel, username, months, recipient, methods) =>
  report("subgift", { channel, username, recipient, plan: methods.plan }));
client.on("disconnected", (reason) => report("disconnected", { reason }));

const answered = (action, promise) => promise.then(
  (value) => report("done", { action, value }),
  (error) => report("failed", { action, error: String(error) }));

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const command = JSON.parse(line);
  const channel = settings.channel;
  if (command.say !== undefined) answered("say", client.say(channel, command.say));
  else if (command.ban !== undefined) answered("ban", client.ban(channel, command.ban));
  else if (command.slowmode !== undefined) answered("slowmode", client.slow(channel, command.slowmode));
  else if (command.quit) client.disconnect().finally(() => process.exit(0));
});

client.connect().catch((error) => report("failed", { action: "connect", error: String(error) }));
