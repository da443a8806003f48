/**
 * Grafana Alloy as the log collector on a real Docker engine: `up` with logs.collector "alloy"
 * replaces Promtail by Alloy, and smoke's Loki check (a container's line arrives, PII scrubbed)
 * passes through Alloy's pipeline. Then back to Promtail, leaving the stack as it was found:
 * running on Promtail if it was running, removed otherwise. stack.e2e.config.ts picks the
 * collector from E2E_LOG_COLLECTOR.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../scripts/stack/render/templates.ts";
import { docker, projectContainers } from "../../scripts/stack/runtime/docker.ts";
import { runCli, type CliRun } from "../helpers/run-cli.ts";
import { queryPrometheusAt, waitFor } from "./helpers.ts";

const PROJECT = "obs-e2e";
const CONFIG = join(REPO_ROOT, "test", "e2e", "stack.e2e.config.ts");
const OUT = join(REPO_ROOT, "test", "e2e", ".stack");
const OVERLAY = join(REPO_ROOT, "test", "e2e", ".testbed-images.json");
const SECRETS = { E2E_WEBHOOK_URL: "http://127.0.0.1:9/never-called" };
const LOKI_CHECK = "loki: a container's log line is queryable, with PII scrubbed";
const IN_CI = process.env.CI === "true";

const cli = (collector: "promtail" | "alloy", ...args: string[]): CliRun =>
  runCli(REPO_ROOT, [...args, "--config", CONFIG, "--out", OUT], { ...SECRETS, E2E_LOG_COLLECTOR: collector });

const services = async () => (await projectContainers(PROJECT)).filter((c) => c.state === "running").map((c) => c.service);
const prometheusHas = async (query: string) => (await queryPrometheusAt(query, Date.now() / 1000)) > 0;

describe.runIf(existsSync(OVERLAY))('logs.collector: "alloy" on the stack', () => {
  let wasRunning = false;

  beforeAll(async () => {
    wasRunning = (await services()).length > 0;
  });
  afterAll(async () => {
    if (wasRunning) cli("promtail", "up");
    else cli("promtail", "down", "--volumes", "--yes");
    // Alloy's positions volume is not in the Promtail compose file, so neither command removes it.
    await docker()
      .getVolume(`${PROJECT}_alloy-data`)
      .remove()
      .catch(() => undefined);
  });

  it("the testbed built Alloy", ({ skip }) => {
    const overlay = JSON.parse(readFileSync(OVERLAY, "utf8")) as { disabled: Record<string, string> };
    const reason = overlay.disabled.alloy;
    if (reason && !IN_CI) skip(`not booted: alloy: ${reason}`);
    expect(reason).toBeUndefined();
  });

  it("up replaces Promtail by Alloy and brings it to healthy", async () => {
    const generate = cli("alloy", "generate");
    expect(generate.status, generate.stdout + generate.stderr).toBe(0);
    expect(existsSync(join(OUT, "alloy", "config.alloy")), "stack.e2e.config.ts must set logs.collector from E2E_LOG_COLLECTOR").toBe(true);
    const run = cli("alloy", "up");
    expect(run.stderr + run.stdout).not.toMatch(/^error:/m);
    expect(run.status).toBe(0);
    const running = await services();
    expect(running).toContain("alloy");
    expect(running).not.toContain("promtail");
  });

  it("smoke's Loki check passes with Alloy shipping the logs", () => {
    const run = cli("alloy", "smoke", "--json");
    const report = JSON.parse(run.stdout) as { checks: Array<{ name: string; status: string; message: string }> };
    for (const check of report.checks) process.stdout.write(`smoke (alloy) ${check.status}: ${check.name} — ${check.message}\n`);
    expect(report.checks.find((check) => check.name === LOKI_CHECK)?.status).toBe("pass");
    expect(report.checks.filter((check) => check.status === "fail")).toEqual([]);
    expect(run.status).toBe(0);
  });

  it("Prometheus scrapes Alloy, whose loki.write has pushed entries and whose components are healthy", async () => {
    await waitFor("Prometheus to scrape Alloy", 60, () => prometheusHas('up{job="alloy"} == 1'));
    await waitFor("Alloy to report pushed entries", 60, () => prometheusHas('loki_write_sent_entries_total{job="alloy"} > 0'));
    expect(await prometheusHas('alloy_component_controller_running_components{job="alloy", health_type=~"unhealthy|exited"} > 0')).toBe(false);
  });

  it("switching back to Promtail removes Alloy", async () => {
    const run = cli("promtail", "up");
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const running = await services();
    expect(running).toContain("promtail");
    expect(running).not.toContain("alloy");
  });
});
