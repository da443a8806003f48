/** `npm run generate`: load and check the config, render the bundle, write it into the output dir. */
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import type { RunnableCommand, StackOptions } from "../args.ts";
import { GENERATE } from "./specs.ts";
import { envFilePath, readEnvFile } from "../config/env-file.ts";
import { loadStack, type LoadedStack } from "../resolve/load.ts";
import type { RuleMode } from "../config/rules.ts";
import { formatIssue } from "../errors.ts";
import { renderBundle, type Bundle } from "../bundle/bundle.ts";
import { GRAFANA_PASSWORD_ENV } from "../render/compose-services.ts";
import { exposureCredentialEnv } from "../render/exposure.ts";
import { ensureEnvSecrets, writeBundle, type WriteResult } from "../write/bundle-writer.ts";
import type { Output } from "../output.ts";

export interface GenerateResult extends LoadedStack {
  outDir: string;
  bundle: Bundle;
  write: WriteResult;
  envFile: string;
}

export const generateCommand: RunnableCommand<typeof GENERATE.flags> = { ...GENERATE, run: generate };

export async function generate(options: StackOptions, out: Output, mode: RuleMode = "generate"): Promise<GenerateResult> {
  const loaded = await loadStack({ config: options.config, cwd: process.cwd(), mode });
  for (const warning of loaded.warnings) out.warn(formatIssue(warning));

  const bundle = renderBundle(loaded.model);
  const outDir = resolve(process.cwd(), options.out);
  const envFile = envFilePath(loaded.configFile);
  const generated = [...(loaded.model.enabled.grafana ? [GRAFANA_PASSWORD_ENV] : []), ...exposureCredentialEnv(loaded.model)];
  if (generated.length > 0) {
    const present = new Set([...Object.keys(readEnvFile(envFile)), ...Object.keys(process.env)]);
    const added = ensureEnvSecrets(envFile, generated.map((name) => ({ name, create: () => randomBytes(24).toString("base64url") })), present);
    for (const name of added) out.info(`generated ${name} into ${envFile} (mode 0600)`);
  }
  const write = writeBundle(outDir, bundle);
  out.info(
    `${outDir}: ${write.written.length} written, ${write.unchanged.length} unchanged, ${write.removed.length} removed (config: ${loaded.configFile})`,
  );
  return { ...loaded, outDir, bundle, write, envFile };
}
