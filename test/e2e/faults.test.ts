/**
 * Faults the stack must survive, and tell about (issue 11, items 6 and 7), on a real Docker engine:
 * - every component killed with SIGKILL comes back by its restart policy, and smoke passes after;
 * - a component stopped for long enough fires TargetDown, delivered to a webhook receiver this test
 *   runs, and its return delivers the RESOLVED notification (the delays are measured and printed);
 * - Prometheus's data volume, a small tmpfs here (a filesystem of its own, which only the volume
 *   exporter measures), filled in steps: under 10% free VolumeSpaceLow reaches the webhook naming
 *   the volume and `status` says "low" with its numbers; under 2% VolumeFull does; full, Prometheus
 *   keeps running and answering (no crash loop) but stores nothing, `status` says "full" from the
 *   last samples; VolumeFull inhibits VolumeSpaceLow in Alertmanager; restarted while full, its
 *   start guard (catalog/start-guard.ts) holds the start with one line in its logs instead of a
 *   crash loop, and it starts and stores again when space returns (VolumeSpaceLow then resolves);
 * - Jaeger's volume, a 128 MiB tmpfs too, filled: restarted, its start guard holds it, no crash
 *   loop, and it becomes healthy when space returns;
 * - a component reloaded in place keeps its restart policy.
 * Its own stack config (faults.e2e.config.ts) and bundle directory (a temporary one); the project is
 * obs-e2e like the other e2e files, which run one after another. Run with `npm run test:e2e`.
 */
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebhookSink, type WebhookSink } from "../../scripts/stack/checks/webhook-sink.ts";
import { volumeState, type VolumeSpace } from "../../scripts/stack/checks/volume-space.ts";
import { REPO_ROOT } from "../../scripts/stack/render/templates.ts";
import { bridgeGatewayAddress, docker } from "../../scripts/stack/runtime/docker.ts";
import { readPlan } from "../../scripts/stack/runtime/plan.ts";
import { reloadAndVerify } from "../../scripts/stack/runtime/reload.ts";
import { runCli, type CliRun } from "../helpers/run-cli.ts";
import { FAULTS_WEBHOOK_ENV, FAULTS_WEBHOOK_PORT } from "./faults.e2e.config.ts";
import { e2eContainer, notBooted, peerSecrets, stackAvailable, waitFor } from "./helpers.ts";
import { startLokiDoor, type LokiDoor } from "./loki-door.ts";

const CONFIG = join(REPO_ROOT, "test", "e2e", "faults.e2e.config.ts");
const OUT = join(mkdtempSync(join(tmpdir(), "obs-e2e-faults-")), ".stack");
const PROJECT = "obs-e2e";
const SECRETS = { [FAULTS_WEBHOOK_ENV]: `http://host.docker.internal:${FAULTS_WEBHOOK_PORT}/faults`, ...peerSecrets() };
const cli = (...args: string[]): CliRun => runCli(REPO_ROOT, [...args, "--config", CONFIG, "--out", OUT], SECRETS);

/** Prometheus's and Jaeger's volumes, created by the test before `up` as 128 MiB tmpfs: Compose reuses a volume of that name (with a warning). */
const PROMETHEUS_VOLUME = `${PROJECT}_prometheus-data`;
const JAEGER_VOLUME = `${PROJECT}_jaeger-data`;
const TMPFS_VOLUMES = [PROMETHEUS_VOLUME, JAEGER_VOLUME];
const TMPFS_BYTES = 128 * 1024 * 1024;
const FILLER = "e2e-filler";

interface Notification {
  status: "firing" | "resolved";
  alerts: Array<{ status: string; labels: Record<string, string> }>;
}

describe("faults: killed components, a stopped one, a full volume, a reload", () => {
  let sink: WebhookSink;
  let lokiDoor: LokiDoor | undefined;
  let volumePath = "";
  let jaegerVolumePath = "";
  let coldUp: CliRun;
  const timings: Record<string, number> = {};

  /** The notifications received so far for an alert, matching labels, in order. */
  const notifications = (alertname: string, labels: Record<string, string>, status: Notification["status"]) =>
    sink.received
      .map((body) => JSON.parse(body) as Notification)
      .filter((n) => n.status === status && n.alerts.some((a) => a.labels.alertname === alertname && Object.entries(labels).every(([k, v]) => a.labels[k] === v)));

  beforeAll(async () => {
    expect(stackAvailable(), "the testbed's image overlay: run `npm run test:e2e` (it runs `npm run testbed` first)").toBe(true);
    await removeProjectLeftovers();
    const gateway = (await bridgeGatewayAddress())!;
    sink = await startWebhookSink(gateway, FAULTS_WEBHOOK_PORT);
    if ("loki" in notBooted()) lokiDoor = await startLokiDoor(gateway);
    for (const name of TMPFS_VOLUMES) await docker().createVolume({ Name: name, Driver: "local", DriverOpts: { type: "tmpfs", device: "tmpfs", o: `size=${TMPFS_BYTES}` } });
    volumePath = (await docker().getVolume(PROMETHEUS_VOLUME).inspect()).Mountpoint;
    jaegerVolumePath = (await docker().getVolume(JAEGER_VOLUME).inspect()).Mountpoint;
    coldUp = cli("up");
    expect(coldUp.status, coldUp.stdout + coldUp.stderr).toBe(0);
  });

  afterAll(async () => {
    cli("down", "--volumes", "--yes");
    await removeProjectLeftovers();
    await sink?.close();
    await lokiDoor?.stop();
    process.stdout.write(`faults timings (s): ${JSON.stringify(timings)}\n`);
  });

  // A reload or restart here would mean containers that were already running before `up` started
  // them, and a reload also cancels a restart policy (see the last test).
  it("a cold up on an empty engine reloads and restarts nothing", () => {
    expect(coldUp.stdout).not.toMatch(/^(reloaded|restarted) /m);
  });

  it("every component killed with SIGKILL is restarted by its restart policy and becomes healthy; smoke passes after", async () => {
    const components = readPlan(OUT).services.filter((service) => service.component !== null);
    expect(components.length).toBeGreaterThanOrEqual(8);
    const notBack: string[] = [];
    for (const { name, healthcheck } of components) {
      const before = await e2eContainer(name);
      const killed = Date.now();
      process.kill(before.pid, "SIGKILL");
      const back = await waitFor(`${name} to be restarted and healthy`, 60, async () => {
        const after = await e2eContainer(name);
        const running = (await docker().getContainer(after.id).inspect()).State.Running;
        return after.restartCount > before.restartCount && running && (healthcheck ? after.health === "healthy" : true);
      }).then(
        () => true,
        () => false,
      );
      if (back) timings[`${name} back after SIGKILL`] = (Date.now() - killed) / 1000;
      else {
        // Reported below; started by hand so that the rest of the file still runs on a whole stack.
        notBack.push(name);
        await docker().getContainer(before.id).start();
        await waitFor(`${name} started by hand`, 60, async () => !healthcheck || (await e2eContainer(name)).health === "healthy");
      }
    }
    const smoke = cli("smoke", "--json");
    const failed = (JSON.parse(smoke.stdout) as { checks: Array<{ name: string; status: string; message: string }> }).checks.filter((check) => check.status === "fail");
    expect(failed).toEqual([]);
    expect(smoke.status).toBe(0);
    expect(notBack, "not restarted by their restart policy").toEqual([]);
  });

  it("a component stopped for long enough fires TargetDown, delivered to a webhook; its return delivers RESOLVED", async () => {
    const jaeger = await e2eContainer("jaeger");
    const target = { alertname: "TargetDown", job: "jaeger" };
    expect(notifications("TargetDown", target, "firing")).toEqual([]);
    const stopped = Date.now();
    await docker().getContainer(jaeger.id).stop();
    try {
      // for: 2m, plus up to a scrape and an evaluation interval (15s each) and the group wait.
      await waitFor("the FIRING TargetDown notification for jaeger", 240, async () => notifications("TargetDown", target, "firing").length > 0);
      timings["TargetDown delivered after stop"] = (Date.now() - stopped) / 1000;
    } finally {
      await docker().getContainer(jaeger.id).start();
    }
    const started = Date.now();
    await waitFor("the RESOLVED TargetDown notification for jaeger", 120, async () => notifications("TargetDown", target, "resolved").length > 0);
    timings["TargetDown RESOLVED delivered after start"] = (Date.now() - started) / 1000;
    await waitFor("jaeger healthy again", 120, async () => (await e2eContainer("jaeger")).health === "healthy");
  });

  it("Prometheus's volume low, then full: the volume alerts reach the webhook naming it, status measures it; full, it keeps running but stores nothing, no crash loop; restarted while full, the start guard holds it with one line in its logs, no crash loop; it starts and stores again when space returns", async () => {
    const prometheus = await e2eContainer("prometheus");
    const filler = join(volumePath, FILLER);
    const volume = { volume: "prometheus-data", service: "prometheus" };
    const delivered = async (alertname: string, status: Notification["status"], seconds: number) => {
      const since = Date.now();
      await waitFor(`the ${status.toUpperCase()} ${alertname} notification for prometheus-data`, seconds, async () => notifications(alertname, volume, status).length > 0);
      return (Date.now() - since) / 1000;
    };
    expect(notifications("VolumeSpaceLow", volume, "firing")).toEqual([]);

    // Low (5% free): Prometheus still has room to store the samples that make the alert fire.
    fill(filler, free(volumePath) - 0.05 * TMPFS_BYTES);
    // for: 3m, plus up to a scrape, an evaluation and the route's group wait.
    timings["VolumeSpaceLow delivered after filling to 5% free"] = await delivered("VolumeSpaceLow", "firing", 360);
    const whileLow = cli("status", "--json");
    expect(whileLow.status, "low is no failure").toBe(0);
    const low = volumeOf(whileLow, "prometheus-data");
    process.stdout.write(`status while low: ${JSON.stringify(low)}\n`);
    expect(low).toMatchObject({ state: "low", sizeBytes: TMPFS_BYTES, filesystem: { mountpoint: "/volumes/prometheus/prometheus-data", fstype: "tmpfs" } });
    expect(low.freeBytes! / TMPFS_BYTES).toBeGreaterThan(0.02);
    expect(low.freeBytes! / TMPFS_BYTES).toBeLessThan(0.1);
    // A directory volume is still measured on the host filesystem holding it: its size, and the
    // state its own numbers give (this machine's disk may well be low itself).
    const onHost = volumeOf(whileLow, "alertmanager-data");
    const dataRoot = statfsSync((await docker().info()).DockerRootDir);
    expect(onHost).toMatchObject({ sizeBytes: dataRoot.blocks * dataRoot.bsize, filesystem: { mountpoint: expect.stringMatching(/^\/(?!volumes\/)/) } });
    expect(onHost.state).toBe(volumeState(onHost.freeBytes!, onHost.sizeBytes!));

    // Under 2% (1% free): writes are about to fail, and Prometheus can still store what fires VolumeFull.
    fill(filler, free(volumePath) - 0.01 * TMPFS_BYTES);
    timings["VolumeFull delivered after filling to 1% free"] = await delivered("VolumeFull", "firing", 150);
    // One full volume, one notification: the warning stays muted while the page fires.
    expect(await alertmanagerAlerts(['alertname="VolumeSpaceLow"', 'volume="prometheus-data"'])).toEqual([
      expect.objectContaining({ labels: expect.objectContaining(volume), status: expect.objectContaining({ state: "suppressed", inhibitedBy: [expect.any(String)] }) }),
    ]);

    // Full.
    const beforeFull = Date.now() / 1000 - 30;
    fill(filler, free(volumePath));
    expect(free(volumePath)).toBeLessThan(64 * 1024);
    const fullSince = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 60_000));
    const during = await e2eContainer("prometheus");
    expect(during.restartCount, "no restart while the volume is full").toBe(prometheus.restartCount);
    expect(during.startedAt).toBe(prometheus.startedAt);
    expect((await fetch("http://127.0.0.1:9090/-/ready")).status).toBe(200);
    // Its own scrapes are no longer stored: the newest sample is from before the volume filled up.
    const age = await sampleAge('up{job="prometheus"}');
    timings["newest sample's age after 60s full"] = age;
    expect(age).toBeGreaterThan(45);

    // status reads the last samples Prometheus stored, from just before it filled up: full, and old.
    const whileFull = cli("status", "--json");
    expect(whileFull.status, "a full volume fails status").not.toBe(0);
    const full = volumeOf(whileFull, "prometheus-data");
    process.stdout.write(`status while full: ${JSON.stringify(full)}\n`);
    expect(full).toMatchObject({ state: "full", sizeBytes: TMPFS_BYTES, filesystem: { fstype: "tmpfs" } });
    expect(Date.now() / 1000 - full.measuredAt!).toBeGreaterThan(45);

    // Restarted while full (an `up` that recreates it, a reboot): without the start guard its WAL
    // repair fails and the restart policy loops it. `docker restart` resets the restart count.
    await docker().getContainer(prometheus.id).restart();
    const restarted = Date.now();
    const guardLine = /not starting yet: volume prometheus-data \(\/prometheus\) has \d+\.\d MiB free, below the 6\.3 MiB it needs to start without crashing; free space on the volume or grow it/;
    let logs = "";
    await waitFor("the start guard's line in `logs prometheus`", 30, async () => guardLine.test((logs = cli("logs", "prometheus", "--no-follow", "--tail", "5").stdout)));
    timings["guard's line in the logs after restart while full"] = (Date.now() - restarted) / 1000;
    process.stdout.write(`logs while guarded: ${logs}`);
    const held = await e2eContainer("prometheus");
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    const heldAfter = await e2eContainer("prometheus");
    expect(heldAfter.restartCount, "no restart loop while the guard holds the start").toBe(held.restartCount);
    expect(heldAfter.startedAt).toBe(held.startedAt);
    expect((await docker().getContainer(held.id).inspect()).State.Running).toBe(true);
    await expect(fetch("http://127.0.0.1:9090/-/ready")).rejects.toThrow();
    const whileHeld = cli("status", "--json");
    expect(whileHeld.status, "a Prometheus that cannot start fails status").not.toBe(0);
    const heldStatus = (JSON.parse(whileHeld.stdout) as { services: Array<{ service: string; state: string; health: string }> }).services.find((s) => s.service === "prometheus");
    process.stdout.write(`status while guarded: ${JSON.stringify(heldStatus)}; ${whileHeld.stderr}`);
    expect(heldStatus).toMatchObject({ state: "running", health: expect.stringMatching(/^(starting|unhealthy)$/) });
    expect(whileHeld.stderr).toContain("npm run logs -- prometheus");

    rmSync(filler);
    const freed = Date.now();
    await waitFor("Prometheus to start and store samples again", 90, async () => (await sampleAge('up{job="prometheus"}')) < 20);
    timings["storing again after space returns (guarded restart)"] = (Date.now() - freed) / 1000;
    timings["full for"] = (freed - fullSince) / 1000;
    expect(cli("logs", "prometheus", "--no-follow", "--tail", "200").stdout).toMatch(/volume prometheus-data has \d+\.\d MiB free again: starting/);
    // Its WAL was not repaired on a full volume: the samples from before it filled should remain.
    const keptBeforeFull = (await samplesAt('up{job="prometheus"}', beforeFull)) > 0;
    process.stdout.write(`samples from before the volume filled, after the guarded restart: ${keptBeforeFull ? "kept" : "lost"}\n`);
    await waitFor("Prometheus healthy", 60, async () => (await e2eContainer("prometheus")).health === "healthy");
    // Prometheus restarted while the alerts fired has no memory of them: Alertmanager resolves them
    // when their last endsAt passes (4 minutes after the last send at the latest).
    await delivered("VolumeSpaceLow", "resolved", 300);
    timings["VolumeSpaceLow RESOLVED delivered after space returns"] = (Date.now() - freed) / 1000;
    expect((await e2eContainer("prometheus")).restartCount, "not restarted by its policy since the restart by hand").toBe(held.restartCount);
    expect(cli("status").status).toBe(0);
    expect(keptBeforeFull, "samples from before the volume filled survive the guarded restart").toBe(true);
  });

  // Its volume is a 128 MiB tmpfs too (beforeAll). Filled, a running Jaeger dies of SIGBUS at its
  // next write, so the restart may be its restart policy's before the one by hand.
  it("Jaeger restarted on its full volume: its start guard holds it with one line in its logs, no crash loop; it starts when space returns", async () => {
    const filler = join(jaegerVolumePath, FILLER);
    fill(filler, free(jaegerVolumePath));
    try {
      expect(free(jaegerVolumePath)).toBeLessThan(64 * 1024);
      await docker().getContainer((await e2eContainer("jaeger")).id).restart();
      const restarted = Date.now();
      const guardLine = /not starting yet: volume jaeger-data \(\/tmp\) has \d+\.\d MiB free, below the 6\.3 MiB it needs to start without crashing/;
      await waitFor("the start guard's line in `logs jaeger`", 30, async () => guardLine.test(cli("logs", "jaeger", "--no-follow", "--tail", "5").stdout));
      timings["jaeger: guard's line in the logs after restart while full"] = (Date.now() - restarted) / 1000;
      const held = await e2eContainer("jaeger");
      await new Promise((resolve) => setTimeout(resolve, 20_000));
      const heldAfter = await e2eContainer("jaeger");
      expect(heldAfter.restartCount, "no restart loop while the guard holds the start").toBe(held.restartCount);
      expect(heldAfter.startedAt).toBe(held.startedAt);
      expect(heldAfter.health).not.toBe("healthy");
    } finally {
      rmSync(filler, { force: true });
    }
    const freed = Date.now();
    await waitFor("jaeger healthy once space returns", 60, async () => (await e2eContainer("jaeger")).health === "healthy");
    timings["jaeger: healthy after space returns (guarded restart)"] = (Date.now() - freed) / 1000;
  });

  // Docker's kill API marks a container it signals as stopped by hand, unless the signal is the
  // image's stop signal, and cancels its restart policy: a SIGHUP sent that way (up's reloads,
  // runtime/reload.ts) leaves Prometheus and Alertmanager without one until their next start.
  it("a component reloaded in place (SIGHUP) is still restarted by its restart policy after a crash", async () => {
    const service = readPlan(OUT).services.find((planned) => planned.name === "alertmanager")!;
    const before = await e2eContainer("alertmanager");
    await reloadAndVerify(service, "alertmanager_config_last_reload", before.id);
    try {
      process.kill((await e2eContainer("alertmanager")).pid, "SIGKILL");
      await waitFor("alertmanager to be restarted after its reload and a crash", 60, async () => (await e2eContainer("alertmanager")).restartCount > before.restartCount);
    } finally {
      await docker().getContainer(before.id).start().catch(() => undefined);
    }
  });
});

/** What an earlier run left of the project (its bundle directory may be gone): containers, then volumes. */
async function removeProjectLeftovers(): Promise<void> {
  const label = `com.docker.compose.project=${PROJECT}`;
  for (const { Id } of await docker().listContainers({ all: true, filters: { label: [label] } })) await docker().getContainer(Id).remove({ force: true });
  const { Volumes } = await docker().listVolumes({ filters: { label: [label] } });
  for (const { Name } of Volumes ?? []) await docker().getVolume(Name).remove();
  for (const name of TMPFS_VOLUMES) await docker().getVolume(name).remove().catch(() => undefined);
}

function free(path: string): number {
  const stats = statfsSync(path);
  return stats.bavail * stats.bsize;
}

/** Writes `bytes` of zeros (at most what is free: a tmpfs refuses the rest) in 1 MiB pieces. */
function fill(file: string, bytes: number): void {
  const chunk = Buffer.alloc(1024 * 1024);
  for (let left = Math.floor(bytes); left > 0; left -= chunk.length) {
    try {
      writeFileSync(file, left >= chunk.length ? chunk : chunk.subarray(0, left), { flag: "a" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOSPC") return;
      throw error;
    }
  }
}

/** Alertmanager's alerts matching every matcher, silenced and inhibited ones too. */
async function alertmanagerAlerts(matchers: string[]): Promise<Array<{ labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }>> {
  const response = await fetch(`http://127.0.0.1:9093/api/v2/alerts?${matchers.map((matcher) => `filter=${encodeURIComponent(matcher)}`).join("&")}`);
  return (await response.json()) as Array<{ labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }>;
}

/** How many series of the selector have a sample in the 5 minutes before a Unix time. */
async function samplesAt(selector: string, time: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:9090/api/v1/query?query=${encodeURIComponent(selector)}&time=${time}`);
  return ((await response.json()) as { data: { result: unknown[] } }).data.result.length;
}

/** Seconds since the newest stored sample of the series. */
async function sampleAge(selector: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:9090/api/v1/query?query=${encodeURIComponent(`time() - timestamp(${selector})`)}`);
  const body = (await response.json()) as { data: { result: Array<{ value: [number, string] }> } };
  return Number(body.data.result[0]?.value[1] ?? Number.POSITIVE_INFINITY);
}

function volumeOf(run: CliRun, volume: string): VolumeSpace {
  const found = (JSON.parse(run.stdout) as { volumes: VolumeSpace[] }).volumes.find((v) => v.volume === volume);
  expect(found, run.stdout + run.stderr).toBeDefined();
  return found!;
}
