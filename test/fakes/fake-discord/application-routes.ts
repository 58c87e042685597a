/** Log-in and set-up calls: the gateway URL, who the application is, command registration. */
import type { Json } from "./payloads.js";
import { userPayload } from "./payloads.js";
import { json, notFound } from "./rest-answer.js";
import type { Route, RouteContext } from "./route.js";
import { nextSnowflake } from "./snowflakes.js";

function gatewayInformation({ state }: RouteContext): ReturnType<Route["handle"]> {
  return json({
    url: state.baseUrl.replace(/^http/, "ws"),
    shards: 1,
    session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
  });
}

function currentApplication({ state }: RouteContext): ReturnType<Route["handle"]> {
  return json({
    id: state.world.applicationId,
    name: state.world.bot.username,
    icon: null,
    description: "",
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: "0".repeat(64),
    flags: 0,
    bot: userPayload(state.world.bot),
    owner: userPayload(state.world.user),
  });
}

/** Bulk overwrite: the list sent replaces every command of that scope, each gets an id. */
function overwriteCommands({ params, call, state }: RouteContext): ReturnType<Route["handle"]> {
  if (params["applicationId"] !== state.world.applicationId) return notFound("Unknown Application", 10002);
  const guildId = params["guildId"];
  const body = call.body;
  if (!Array.isArray(body)) return { status: 400, body: { code: 50035, message: "Invalid Form Body", errors: {} } };
  const commands: Json[] = (body as Json[]).map((command) => ({
    ...command,
    id: nextSnowflake(),
    application_id: state.world.applicationId,
    version: nextSnowflake(),
    ...(guildId === undefined ? {} : { guild_id: guildId }),
  }));
  state.commandRegistrations.push({ scope: guildId === undefined ? "global" : "guild", guildId, commands });
  return json(commands);
}

export const applicationRoutes: readonly Route[] = [
  { method: "GET", pattern: "/gateway/bot", needsBotToken: true, handle: gatewayInformation },
  { method: "GET", pattern: "/gateway", needsBotToken: false, handle: gatewayInformation },
  { method: "GET", pattern: "/applications/@me", needsBotToken: true, handle: currentApplication },
  { method: "GET", pattern: "/oauth2/applications/@me", needsBotToken: true, handle: currentApplication },
  { method: "GET", pattern: "/users/@me", needsBotToken: true, handle: ({ state }) => json(userPayload(state.world.bot)) },
  {
    method: "PUT",
    pattern: "/applications/:applicationId/commands",
    needsBotToken: true,
    handle: overwriteCommands,
  },
  {
    method: "PUT",
    pattern: "/applications/:applicationId/guilds/:guildId/commands",
    needsBotToken: true,
    handle: overwriteCommands,
  },
];
