import { ModelCatalog } from "../core/models/catalog.js";
import { ModelRegistry } from "../core/models/model-registry.js";
import { systemClock } from "../core/ports/clock.js";
import { silentLogger } from "../core/ports/logger.js";
import { answerRoles, serviceRoles } from "../core/roles.js";
import { createGroqModelClient } from "../providers/groq/groq-model-client.js";
import { configOrExit } from "./environment.js";

/** A GET that must answer 2xx; the detail says why not, without echoing any secret in the URL. */
async function checkEndpoint(url: string, init: RequestInit): Promise<{ readonly ok: boolean; readonly detail: string }> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(8_000) });
    return { ok: response.ok, detail: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.name : "request failed" };
  }
}

/** `mami doctor`: every setting, Groq's live models against each chain, and the bot tokens. */
export async function runDoctorCommand(): Promise<number> {
  const config = configOrExit("doctor");
  let healthy = true;
  const print = (line: string): boolean => process.stdout.write(`${line}\n`);
  print("Settings: ok");
  print(`  store: ${config.storeUrl}; router: ${config.routerMode}; safety: ${config.safety} (on outage: ${config.safetyOnOutage})`);

  const registry = new ModelRegistry(new ModelCatalog(), config.chains, silentLogger, systemClock.now());
  const client = createGroqModelClient({ apiKey: config.groq.apiKey ?? "", baseUrl: config.groq.baseUrl });
  try {
    const live = await client.listModels(AbortSignal.timeout(10_000));
    registry.applyLiveModels(live);
    print(`Groq: ${config.groq.baseUrl} answers; ${live.length} models live for this key`);
  } catch (error) {
    healthy = false;
    print(`Groq: could not list models at ${config.groq.baseUrl}: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const role of [...answerRoles, ...serviceRoles]) {
    const chain = registry.configuredChain(role);
    const liveCount = chain.filter((model) => !registry.state(model).isGone).length;
    // Without a search system, questions about current events are answered by chat: a lesser bot, not a broken one.
    const optional = role === "search";
    if (liveCount === 0 && !optional) healthy = false;
    const described = chain.map((model) => `${model} (${registry.state(model).isGone ? "gone" : "live"})`).join(", ");
    const warning = liveCount === 0 ? (optional ? " [NO LIVE MODEL: chat answers instead, without searching]" : " [NO LIVE MODEL]") : "";
    print(`  ${role}${warning}: ${described}`);
  }
  const unlisted = registry.answerModels().filter((model) => registry.isUnlisted(model));
  if (unlisted.length > 0) print(`  live in no chain (answer when the chains are spent): ${unlisted.join(", ")}`);

  if (config.telegram !== undefined) {
    const result = await checkEndpoint(`${config.telegram.apiRoot}/bot${config.telegram.token}/getMe`, {});
    healthy &&= result.ok;
    print(`Telegram: ${result.ok ? "token accepted" : `token check failed (${result.detail})`}`);
  } else print("Telegram: off (TELEGRAM_BOT_TOKEN not set)");
  if (config.discord !== undefined) {
    const result = await checkEndpoint(`${config.discord.apiBase}/v10/users/@me`, { headers: { authorization: `Bot ${config.discord.token}` } });
    healthy &&= result.ok;
    print(`Discord: ${result.ok ? "token accepted" : `token check failed (${result.detail})`}`);
  } else print("Discord: off (DISCORD_BOT_TOKEN not set)");
  print(healthy ? "All good." : "Some checks failed; see above.");
  return healthy ? 0 : 1;
}
