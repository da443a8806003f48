/**
 * `npm run agent -- --host <name>`, on a host of config.hosts: renders the agent bundle from the
 * same config (render/agent.ts) into <out>-agent (.stack-agent/), then preflight → owned directories → `compose
 * up -d --wait`, like `up`. The host's token comes from OBS_AGENT_TOKEN (the environment, then the
 * agent's own .env in its bundle directory) or, on a machine that has the central stack's .env,
 * from its AGENT_TOKEN_<NAME>; a token given in the environment is kept in the agent's .env (mode
 * 0600) for the next run. `--print-token` on the central host prints it, `--down` stops the agent.
 */
import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Options, RunnableCommand } from "../args.ts";
import { AGENT_TOKEN_ENV, agentOtlpUrl, agentTokenEnv } from "../config/agents.ts";
import { didYouMean } from "../config/did-you-mean.ts";
import { effectiveEnv, envFilePath, readEnvFile } from "../config/env-file.ts";
import type { AgentHostConfig } from "../config/schema.ts";
import { StackError } from "../errors.ts";
import type { Output } from "../output.ts";
import { AGENT_BUNDLE_PATHS, agentModel, renderAgentBundle } from "../render/agent.ts";
import { loadStack } from "../resolve/load.ts";
import { runCompose, type ComposeProject } from "../runtime/compose-cli.ts";
import { prepareOwnedDirs } from "../runtime/owned-dirs.ts";
import { readPlan } from "../runtime/plan.ts";
import { requirePreflight } from "../runtime/preflight.ts";
import { writeBundle } from "../write/bundle-writer.ts";
import { AGENT } from "./specs.ts";

const WAIT_TIMEOUT_SECONDS = 180;

export const agentCommand: RunnableCommand<typeof AGENT.flags> = { ...AGENT, run: agent };

export async function agent(options: Options<typeof AGENT.flags>, out: Output): Promise<void> {
  // The central stack's secrets (receivers, exporters) are not this host's: unset ones do not matter here.
  const loaded = await loadStack({ config: options.config, cwd: process.cwd(), mode: "generate" });
  if (!options.host) throw new StackError("USAGE", "--host is required", "name this machine as config.hosts does, e.g. `npm run agent -- --host web-1`");
  const host = declaredHost(loaded.model.config.hosts, options.host);
  const envFile = envFilePath(loaded.configFile);
  const env = effectiveEnv(envFile);

  if (options.printToken) {
    const token = env[agentTokenEnv(host)];
    if (!token) throw new StackError("USAGE", `${agentTokenEnv(host)} is not in ${envFile}`, "run `npm run up` on the central host first: it generates one token per host");
    out.result(token);
    return;
  }

  // Beside the central bundle's directory, never in it: both may live on the central host.
  const outDir = resolve(process.cwd(), `${options.out}-agent`);
  const agentEnvFile = join(outDir, ".env");
  const project: ComposeProject = { bundleDir: outDir, envFile: agentEnvFile, model: agentModel(loaded.model, host) };
  if (options.down) {
    if (!existsSync(join(outDir, AGENT_BUNDLE_PATHS.compose))) throw new StackError("USAGE", `no agent bundle in ${outDir}`, "nothing to stop: the agent was never started from this directory (see --out)");
    const result = await runCompose(project, ["down", "--remove-orphans"]);
    if (result.code !== 0) throw new StackError("COMPOSE_FAILED", `docker compose down failed (exit ${result.code})`, "see the output above");
    out.info(`agent of ${host.name} stopped; what it had queued stays in its volume`);
    return;
  }

  const given = process.env[AGENT_TOKEN_ENV];
  const token = given || readEnvFile(agentEnvFile)[AGENT_TOKEN_ENV] || env[agentTokenEnv(host)];
  if (!token)
    throw new StackError(
      "USAGE",
      `no token for host ${host.name}: ${AGENT_TOKEN_ENV} is not set`,
      `on the central host run \`npm run agent -- --host ${host.name} --print-token\`, then here: ${AGENT_TOKEN_ENV}=<token> npm run agent -- --host ${host.name}`,
    );
  // The proxy passes only RFC 6750 token characters, and the token becomes a line of .env.
  if (!/^[A-Za-z0-9._~+/=-]+$/.test(token))
    throw new StackError("USAGE", `${AGENT_TOKEN_ENV} holds characters a bearer token cannot have`, "copy it exactly as `--print-token` printed it on the central host");
  // Compose interpolates it into the Collector's environment; also when it came from AGENT_TOKEN_<NAME>.
  process.env[AGENT_TOKEN_ENV] = token;

  const write = writeBundle(outDir, renderAgentBundle(loaded.model, host));
  out.info(`${outDir}: ${write.written.length} written, ${write.unchanged.length} unchanged (config: ${loaded.configFile})`);
  // After the bundle: its writer refuses a directory holding files it did not write. Never in the bundle's manifest, so never removed.
  if (given) {
    writeFileSync(agentEnvFile, `# The agent's token for host ${host.name}. Keep this file private.\n${AGENT_TOKEN_ENV}=${given}\n`, { mode: 0o600 });
    chmodSync(agentEnvFile, 0o600);
    out.info(`kept ${AGENT_TOKEN_ENV} in ${agentEnvFile} (mode 0600) for the next run`);
  }

  await requirePreflight(project, out);

  await prepareOwnedDirs(project, readPlan(outDir));
  const result = await runCompose(project, ["up", "-d", "--wait", "--wait-timeout", String(WAIT_TIMEOUT_SECONDS), "--remove-orphans"], { quiet: true });
  if (result.code !== 0) throw new StackError("UNHEALTHY", `the agent did not start: ${result.output.trim()}`, `see \`docker compose -f ${outDir}/compose.yaml logs\``);
  const { agents } = loaded.model.config;
  out.result(
    [
      `agent of ${host.name} is up, shipping to ${agentOtlpUrl(loaded.model.config, host)}`,
      `  OTLP for this host's applications: http://127.0.0.1:${agents.otlpPort} (HTTP), 127.0.0.1:${agents.otlpGrpcPort} (gRPC)`,
      `  container logs: Docker's fluentd log driver to tcp://127.0.0.1:${agents.fluentPort} (see "Growing past one machine" in the README)`,
    ].join("\n"),
  );
}

function declaredHost(hosts: readonly AgentHostConfig[], name: string): AgentHostConfig {
  const found = hosts.find((host) => host.name === name);
  if (found) return found;
  const names = hosts.map((host) => host.name);
  if (names.length === 0) throw new StackError("USAGE", `no hosts are declared, so there is no host "${name}"`, `add { name: "${name}" } to hosts in the config (and enable components.proxy on the central stack)`);
  const suggestion = didYouMean(name, names);
  throw new StackError("USAGE", `host "${name}" is not in config.hosts${suggestion ? `; did you mean "${suggestion}"?` : ""} (hosts: ${names.join(", ")})`, "the name must match one of config.hosts");
}
