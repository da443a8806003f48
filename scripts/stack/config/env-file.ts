/** Reads the `.env` file that sits next to the stack config (Compose's own format, a subset). */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export function envFilePath(configFile: string): string {
  return join(dirname(configFile), ".env");
}

function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    values[match[1]!] = unquote(match[2]!);
  }
  return values;
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) return value.slice(1, -1);
  return value;
}

export function readEnvFile(path: string): Record<string, string> {
  return existsSync(path) ? parseEnvFile(readFileSync(path, "utf8")) : {};
}

/** Variables visible to Compose: the shell's environment wins over .env, as in Compose itself. */
export function effectiveEnv(envFile: string): Record<string, string | undefined> {
  return { ...readEnvFile(envFile), ...process.env };
}
