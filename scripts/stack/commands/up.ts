/**
 * `npm run up`: generate → preflight → pull what is missing → `compose up -d --wait` with live health
 * progress → reload/restart what changed → a table of URLs. A second `up` with no change does not
 * call Compose at all (runtime/up-record.ts says when that is safe).
 */
import { existsSync, readFileSync } from "node:fs";
import type { RunnableCommand, StackOptions } from "../args.ts";
import { UP } from "./specs.ts";
import { COMPONENTS, COMPONENT_NAMES, SERVICE_NAMES } from "../catalog/components.ts";
import type { StackConfig } from "../config/schema.ts";
import { componentRuns } from "../config/model.ts";
import { StackError } from "../errors.ts";
import { componentUrl } from "../config/addresses.ts";
import type { StackPlan } from "../render/plan.ts";
import { formatTable } from "../table.ts";
import type { Output } from "../output.ts";
import { planConfigApply } from "../runtime/apply-changes.ts";
import { runCompose, type ComposeProject } from "../runtime/compose-cli.ts";
import { describeState, imageIds, projectContainers, type ContainerState } from "../runtime/docker.ts";
import { ensureDemoImage } from "../runtime/demo-image.ts";
import { pullMissingImages } from "../runtime/pull-images.ts";
import { reloadAndVerify } from "../runtime/reload.ts";
import { applyGrafanaAdminPassword } from "../runtime/grafana-password.ts";
import { effectiveEnv } from "../config/env-file.ts";
import { GRAFANA_PASSWORD_ENV } from "../render/compose-services.ts";
import { PROXY_OTLP_TOKEN_ENV, PROXY_PASSWORD_ENV } from "../catalog/components/proxy.ts";
import { prepareOwnedDirs } from "../runtime/owned-dirs.ts";
import { readPlan } from "../runtime/plan.ts";
import { requirePreflight } from "../runtime/preflight.ts";
import { forgetUpRecord, inputsDigest, readUpRecord, unchangedSinceLastUp, upRecordOf, writeUpRecord } from "../runtime/up-record.ts";
import { filesChangedSinceApplied, recordApplied } from "../write/bundle-writer.ts";
import { generate, type GenerateResult } from "./generate.ts";

const WAIT_TIMEOUT_SECONDS = 300;

export const upCommand: RunnableCommand<typeof UP.flags> = { ...UP, run: up };

export async function up(options: StackOptions, out: Output): Promise<void> {
  const started = Date.now();
  const generated = await generate(options, out, "up");
  const project: ComposeProject = { bundleDir: generated.outDir, envFile: generated.envFile, model: generated.model };
  const projectName = generated.model.config.project.name;

  await requirePreflight(project, out);

  // What generate just wrote, so up acts on exactly the plan a later status, logs or down reads.
  const plan = readPlan(generated.outDir);
  await ensureDemoImage(generated.model, out);
  // Asked all at once; the ids also tell whether a container still runs the image its tag names.
  const images = await imageIds(imagesOf(plan));
  await pullMissingImages([...images].filter(([, id]) => id === undefined).map(([image]) => image), out);
  const current = await projectContainers(projectName);
  const inputs = inputsDigest({
    bundleDir: generated.outDir,
    bundle: generated.bundle,
    envFile: generated.envFile,
    envFileText: existsSync(generated.envFile) ? readFileSync(generated.envFile, "utf8") : undefined,
    env: process.env,
  });
  // A pulled image has no id here, which counts as a change: Compose must run to use it.
  const services = plan.services.map((service) => ({ name: service.name, imageId: images.get(service.image) }));
  const verdict = unchangedSinceLastUp(readUpRecord(generated.outDir), { inputs, services, containers: current });
  if (verdict.unchanged) {
    out.info("no change since the last `up`: every container runs as it left them, so Compose was not called");
    await syncGrafanaPassword(generated.envFile, plan, generated.model.config, current, out);
    report(generated, current, started, out);
    return;
  }
  out.info(`running Compose: ${verdict.reason}`);
  forgetUpRecord(generated.outDir);

  // Taken before the owned directories: preparing them creates containers (`compose create` brings
  // a service's dependencies too) that start fresh with the new config, so nothing may reload them.
  const before = new Map(current.map((c) => [c.service, c.id]));
  await prepareOwnedDirs(project, plan);

  const progress = watchHealth(projectName, out);
  const upArgs = ["up", "-d", "--wait", "--wait-timeout", String(WAIT_TIMEOUT_SECONDS), "--remove-orphans"];
  const result = await runCompose(project, upArgs, { quiet: true });
  await progress.stop();
  const after = await projectContainers(projectName);
  if (result.code !== 0) throw unhealthyError(after, result.output, out);

  const kept = new Set(after.filter((c) => before.get(c.service) === c.id).map((c) => c.service));
  const applied = planConfigApply(plan, filesChangedSinceApplied(generated.outDir, generated.bundle), kept);
  for (const { service, apply } of applied) {
    const container = after.find((c) => c.service === service.name)!;
    if (apply.action === "reload") await reloadAndVerify(service, apply.successMetric, container.id);
    else {
      const restart = await runCompose(project, ["restart", service.name], { quiet: true });
      if (restart.code !== 0) throw unhealthyError(await projectContainers(projectName), restart.output, out);
    }
    out.info(`${apply.action === "reload" ? "reloaded" : "restarted"} ${service.name} (its config changed)`);
  }
  if (applied.some((step) => step.apply.action === "restart")) {
    // A restarted service is "starting" again: wait for it like for the first start.
    const again = await runCompose(project, upArgs, { quiet: true });
    if (again.code !== 0) throw unhealthyError(await projectContainers(projectName), again.output, out);
  }
  const final = await projectContainers(projectName);
  await syncGrafanaPassword(generated.envFile, plan, generated.model.config, final, out);
  recordApplied(generated.outDir, generated.bundle);
  writeUpRecord(generated.outDir, upRecordOf(inputs, final));
  report(generated, final, started, out);
}

/** The URLs and logins: the end of every `up`, with or without Compose. */
function report(generated: GenerateResult, containers: ContainerState[], started: number, out: Output): void {
  const { config } = generated.model;
  out.result(urlTable(config, containers));
  if (generated.model.enabled.grafana) out.result(`\nGrafana login: ${config.components.grafana.adminUser} / GRAFANA_ADMIN_PASSWORD in ${generated.envFile}`);
  if (generated.model.enabled.proxy)
    out.result(
      `Proxy (${componentUrl(config, "proxy")}) login: ${config.components.proxy.user} / ${PROXY_PASSWORD_ENV}, OTLP bearer token ${PROXY_OTLP_TOKEN_ENV}, both in ${generated.envFile}`,
    );
  out.info(`stack "${config.project.name}" is up in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

function unhealthyError(containers: ContainerState[], composeOutput: string, out: Output): StackError {
  out.warn(composeOutput.trim());
  const unhealthy = containers.filter((c) => c.state !== "running" || c.health === "unhealthy" || c.health === "starting");
  return new StackError(
    "UNHEALTHY",
    `the stack did not become healthy: ${unhealthy.map((c) => `${c.service} (${c.state}${c.health !== "none" ? `, ${c.health}` : ""})`).join(", ") || "compose failed"}`,
    `see \`npm run logs -- ${unhealthy[0]?.service ?? "<service>"}\` and \`npm run status\``,
  );
}

async function syncGrafanaPassword(envFile: string, plan: StackPlan, config: StackConfig, containers: ContainerState[], out: Output): Promise<void> {
  const service = plan.services.find((candidate) => candidate.component === "grafana");
  const container = containers.find((candidate) => candidate.service === service?.name);
  // Unset only when Grafana is off: generate writes one into .env when it is missing.
  const password = effectiveEnv(envFile)[GRAFANA_PASSWORD_ENV];
  if (!service?.url || !container || !password) return;
  if (await applyGrafanaAdminPassword({ url: service.url, containerId: container.id }, config.components.grafana.adminUser, password))
    out.info(`Grafana's admin password was reset to the one in ${envFile} (Grafana keeps its first password in its volume)`);
}

function imagesOf(plan: StackPlan): string[] {
  return [...new Set(plan.services.map((service) => service.image))].sort();
}

/** Prints each service's health transitions while compose waits. */
function watchHealth(project: string, out: Output): { stop: () => Promise<void> } {
  const seen = new Map<string, string>();
  let running = true;
  let wake = () => {};
  const loop = (async () => {
    while (running) {
      for (const container of await projectContainers(project).catch(() => [] as ContainerState[])) {
        const state = describeState(container);
        if (seen.get(container.service) !== state) out.info(`  ${container.service}: ${state}`);
        seen.set(container.service, state);
      }
      if (!running) break;
      // stop() cuts the pause short: `up` must not wait out a poll interval once Compose is done
      // (it did, up to a second on every `up`: docs/benchmarks.md).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  return {
    stop: async () => {
      running = false;
      wake();
      await loop;
    },
  };
}

function urlTable(config: StackConfig, containers: ContainerState[]): string {
  const rows = COMPONENT_NAMES.filter((name) => componentRuns(config, name)).map((name) => {
    const container = containers.find((c) => c.service === SERVICE_NAMES[name]);
    const state = container ? describeState(container) : "missing";
    return [COMPONENTS[name].title, state, componentUrl(config, name)];
  });
  return formatTable(["component", "state", "url"], rows);
}
