#!/usr/bin/env node
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { configOrExit } from "./cli/environment.js";

const usage = `Usage: mami <command>

  start                          run the bots whose tokens are set (what npm start runs)
  route [--image] [--tokens N] TEXT
                                 print the routing decision as one JSON line
  ask [--image FILE]... [--file FILE]... [--conversation ID] TEXT
                                 one request through the whole pipeline
  chat                           an interactive conversation in the terminal
  doctor                         check settings, Groq's live models and the bot tokens
  deploy-commands                register the Discord slash commands
`;

/**
 * A build in a checkout (dist/ with its stamp, scripts/ beside it) says so when the sources
 * changed since it was built; `npm start` rebuilds first (scripts/build.mjs), `mami start` does
 * not. Skipped when run from src/ or from an installed package, which have no stamp or no scripts.
 */
async function warnIfStaleBuild(): Promise<void> {
  const stamp = new URL("./build-stamp.json", import.meta.url);
  const checker = new URL("../scripts/build-stamp.mjs", import.meta.url);
  if (stamp.protocol !== "file:" || !existsSync(stamp) || !existsSync(checker)) return;
  const { buildState } = (await import(checker.href)) as { buildState: (outdir: string) => "fresh" | "missing" | "stale" };
  if (buildState(fileURLToPath(new URL(".", import.meta.url))) === "stale") {
    process.stderr.write(`mami: warning: the sources changed since dist/ was built, so this runs the older build; run "npm run build" (npm start builds first)\n`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "route":
      return (await import("./cli/route-command.js")).runRouteCommand(rest);
    case "ask":
      return (await import("./cli/ask-command.js")).runAskCommand(rest);
    case "chat":
      return (await import("./cli/chat-command.js")).runChatCommand();
    case "doctor":
      return (await import("./cli/doctor-command.js")).runDoctorCommand();
    case "deploy-commands":
      return (await import("./cli/deploy-commands-command.js")).runDeployCommandsCommand();
    case "start": {
      await warnIfStaleBuild().catch(() => undefined);
      const config = configOrExit("start");
      await (await import("./main.js")).startMami(config);
      return -1;
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(usage);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`mami: unknown command "${command}"\n\n${usage}`);
      return 2;
  }
}

try {
  const code = await main(process.argv.slice(2));
  // -1: a long-running command; the process lives until its signal handlers end it.
  if (code >= 0) process.exitCode = code;
} catch (error) {
  process.stderr.write(`mami: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
