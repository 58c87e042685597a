#!/usr/bin/env node
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
