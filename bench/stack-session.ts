/**
 * The running stack the bench measures: bench/stack.bench.config.ts on the testbed's images (project
 * obs-e2e, so the e2e suite's and CI's clean-up of leftovers covers it too), driven through the real
 * CLI, and Compose run the way `up` runs it. Every section leaves no container or volume behind.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { envFilePath } from "../scripts/stack/config/env-file.ts";
import { REPO_ROOT } from "../scripts/stack/render/templates.ts";
import { loadStack } from "../scripts/stack/resolve/load.ts";
import type { ResolvedStack } from "../scripts/stack/resolve/resolve-stack.ts";
import { runCompose, type ComposeProject } from "../scripts/stack/runtime/compose-cli.ts";
import { bridgeGatewayAddress, docker, dockerReachable, projectContainers, type ContainerState } from "../scripts/stack/runtime/docker.ts";
import { describeTool, resolveTool } from "../scripts/stack/runtime/tool-resolver.ts";
import { notBooted, OVERLAY_FILE, peerSecrets } from "../test/e2e/helpers.ts";
import { startLokiDoor, type LokiDoor } from "../test/e2e/loki-door.ts";
import { runCliTimed, type TimedRun } from "./run-cli.ts";

export const BENCH_CONFIG = join(REPO_ROOT, "bench", "stack.bench.config.ts");
export const BENCH_OUT = join(REPO_ROOT, "bench", ".stack");
/** Where Alertmanager reaches the bench's webhook: the host, through Docker's host-gateway. */
export const WEBHOOK_PORT = 3198;
/** Where the Loki door serves its own counters on the host (the headroom section reads them). */
const LOKI_DOOR_METRICS_PORT = 3197;

export interface StackSession {
  model: ResolvedStack;
  project: ComposeProject;
  /** The stack's secrets and the webhook's address, for the CLI and for Compose alike. */
  env: Record<string, string>;
  /** What the testbed does not boot, with the reason: reported beside every number. */
  notBooted: Record<string, string>;
  composeTool: string;
  gateway: string;
  /** The Loki door's own metrics, when the door stands in for Loki. */
  lokiDoorMetricsUrl: string | undefined;
  cli(...args: string[]): Promise<TimedRun>;
  compose(args: string[]): Promise<{ ms: number }>;
  containers(): Promise<ContainerState[]>;
  close(): Promise<void>;
}

/** Why the stack sections cannot run here, or undefined when they can. */
export async function stackUnavailable(): Promise<string | undefined> {
  if (!(await dockerReachable())) return "the Docker engine is not reachable (test/testbed/host-setup.sh starts one)";
  if (!existsSync(OVERLAY_FILE)) return `the testbed's images are not built (${OVERLAY_FILE} is missing): run \`npm run testbed\``;
  return undefined;
}

export async function openStack(): Promise<StackSession> {
  const unavailable = await stackUnavailable();
  if (unavailable) throw new Error(`the stack sections need a running stack: ${unavailable}`);
  const gateway = await bridgeGatewayAddress();
  if (!gateway) throw new Error("the Docker bridge's gateway address is unknown, so the stack cannot reach the bench's webhook or Loki's door");
  const env = { ...peerSecrets(), BENCH_WEBHOOK_URL: `http://host.docker.internal:${WEBHOOK_PORT}/alerts` };
  // Compose interpolates the secrets from its own environment, which is this process's.
  Object.assign(process.env, env);
  const { model, configFile } = await loadStack({ config: BENCH_CONFIG, cwd: REPO_ROOT, mode: "generate" });
  const project: ComposeProject = { bundleDir: BENCH_OUT, envFile: envFilePath(configFile), model };
  const tool = resolveTool("compose", model);
  const skipped = notBooted();
  // Loki is not booted on the testbed: the Collector ships logs to its recording door, as in e2e.
  const lokiDoor: LokiDoor | undefined = "loki" in skipped ? await startLokiDoor(gateway, { metricsPort: LOKI_DOOR_METRICS_PORT }) : undefined;
  const cli = (...args: string[]) => runCliTimed([...args, "--config", BENCH_CONFIG, "--out", BENCH_OUT], env);
  await cli("down", "--volumes", "--yes");
  return {
    model,
    project,
    env,
    notBooted: skipped,
    composeTool: tool ? describeTool(tool) : "none",
    gateway,
    lokiDoorMetricsUrl: lokiDoor ? `http://127.0.0.1:${LOKI_DOOR_METRICS_PORT}/metrics` : undefined,
    cli,
    compose: async (args) => {
      const started = performance.now();
      const result = await runCompose(project, args, { quiet: true });
      if (result.code !== 0) throw new Error(`docker compose ${args.join(" ")} exited ${result.code}: ${result.output.slice(-3000)}`);
      return { ms: performance.now() - started };
    },
    containers: () => projectContainers(model.config.project.name),
    close: async () => {
      try {
        await cli("down", "--volumes", "--yes");
      } finally {
        await lokiDoor?.stop();
      }
    },
  };
}

/** Runs `measure` on a fresh stack session and always takes the stack down afterwards. */
export async function withStack<T>(measure: (session: StackSession) => Promise<T>): Promise<T> {
  const session = await openStack();
  try {
    return await measure(session);
  } finally {
    await session.close();
  }
}

export async function engineVersion(): Promise<string> {
  const version = await docker().version();
  return `Docker Engine ${version.Version} (API ${version.ApiVersion})`;
}
