import { existsSync } from "node:fs";
import { loadConfig, type ConfigPurpose, type MamiConfig } from "../core/config/config.js";
import { ConfigError } from "../core/errors.js";

/** The environment, with `.env` from the working directory under it (real variables win). */
export function readEnvironment(): Readonly<Record<string, string | undefined>> {
  if (existsSync(".env")) {
    const fromProcess = { ...process.env };
    process.loadEnvFile(".env");
    Object.assign(process.env, fromProcess);
  }
  return process.env;
}

/** Exit status for a setting that stops start-up (INTERFACE.md). */
export const badSettingExitCode = 2;

/**
 * Loads the configuration for a command or stops the process with one line per problem, each
 * naming the variable and what to set it to. No stack trace: this is the operator's to fix.
 */
export function configOrExit(purpose: ConfigPurpose): MamiConfig {
  try {
    return loadConfig(readEnvironment(), purpose);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`mami: cannot start; fix these settings in .env or the environment:\n`);
    for (const problem of error.problems) process.stderr.write(`  ${problem}\n`);
    process.exit(badSettingExitCode);
  }
}
