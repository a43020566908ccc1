const { Client, GatewayIntentBits } = require("discord.js");

// The music node the bot connects to: a client's port, not one it listens on.
const lavalink = {
  host: process.env.LAVALINK_HOST || "lavalink",
  port: parseInt(process.env.LAVALINK_PORT) || 80,
};

const client = new Client({ intents: [GatewayIntentBits.Guilds] });
client.on("ready", console.log.bind(console, "ready", lavalink.host));
client.login(process.env.TOKEN);
