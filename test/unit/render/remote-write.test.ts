/**
 * metrics.remoteWrite: the remote_write section of prometheus.yml (credentials only as secret
 * files, Prometheus's queue defaults), checked by the real promtool, and Grafana's Prometheus
 * datasource following a target's queryUrl. A missing promtool skips locally and fails under CI=true.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import type { StackConfigInput } from "../../../scripts/stack/index.ts";
import { renderCompose } from "../../../scripts/stack/render/compose.ts";
import { renderGrafanaDatasources } from "../../../scripts/stack/render/grafana.ts";
import { renderPrometheusConfig } from "../../../scripts/stack/render/prometheus.ts";
import { composeServices } from "../../helpers/compose-file.ts";
import { modelOf, tryParse } from "../../helpers/parse.ts";
import { PROMTOOL, requirePromtool } from "../../helpers/promtool-rules.ts";

interface RemoteWrite {
  name: string;
  url: string;
  remote_timeout: string;
  basic_auth?: Record<string, string>;
  authorization?: Record<string, string>;
  queue_config: Record<string, unknown>;
}

const THANOS = { name: "thanos", url: "http://thanos-receive:19291/api/v1/receive" };
const withTargets = (...targets: NonNullable<NonNullable<StackConfigInput["metrics"]>["remoteWrite"]>): StackConfigInput => ({
  metrics: { remoteWrite: targets },
});

const prometheusYml = (config: StackConfigInput) => renderPrometheusConfig(modelOf(config));
const remoteWrites = (config: StackConfigInput) => (parse(prometheusYml(config)) as { remote_write?: RemoteWrite[] }).remote_write;
const datasourceUrl = (config: StackConfigInput) =>
  (parse(renderGrafanaDatasources(modelOf(config))) as { datasources: Array<{ uid: string; url: string }> }).datasources.find((d) => d.uid === "prometheus")?.url;

describe("prometheus.yml remote_write", () => {
  it("has no remote_write section unless metrics.remoteWrite names a target", () => {
    expect(remoteWrites({})).toBeUndefined();
    expect(prometheusYml({})).not.toContain("remote_write");
  });

  it("writes each target with Prometheus's own queue defaults, so an omitted setting behaves as in a hand-written remote_write", () => {
    expect(remoteWrites(withTargets(THANOS))).toEqual([
      {
        name: "thanos",
        url: THANOS.url,
        remote_timeout: "30s",
        queue_config: {
          capacity: 10000,
          min_shards: 1,
          max_shards: 50,
          max_samples_per_send: 2000,
          batch_send_deadline: "5s",
          min_backoff: "30ms",
          max_backoff: "5s",
          retry_on_http_429: false,
        },
      },
    ]);
  });

  it("takes the queue settings given", () => {
    const [target] = remoteWrites(withTargets({ ...THANOS, timeout: "10s", queue: { capacity: 500, maxShards: 4, maxBackoff: "1m", retryOnHttp429: true } }))!;
    expect(target?.remote_timeout).toBe("10s");
    expect(target?.queue_config).toMatchObject({ capacity: 500, max_shards: 4, max_backoff: "1m", retry_on_http_429: true });
  });

  it("reads basic-auth passwords and bearer tokens from the Compose secret files of their variables, never the values", () => {
    const config = withTargets(
      { ...THANOS, basicAuth: { username: "obs", passwordEnv: "THANOS_PASSWORD" } },
      { name: "mimir", url: "https://mimir.example/api/v1/push", bearerTokenEnv: "MIMIR_TOKEN" },
    );
    const [basic, bearer] = remoteWrites(config)!;
    expect(basic?.basic_auth).toEqual({ username: "obs", password_file: "/run/secrets/thanos_password" });
    expect(basic?.authorization).toBeUndefined();
    expect(bearer?.authorization).toEqual({ type: "Bearer", credentials_file: "/run/secrets/mimir_token" });
    expect(bearer?.basic_auth).toBeUndefined();
    const parsed = tryParse(config, { env: { THANOS_PASSWORD: "pw-c4f1e", MIMIR_TOKEN: "tok-9b2d7" } });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const text = renderPrometheusConfig(parsed.model);
    expect(text).not.toContain("pw-c4f1e");
    expect(text).not.toContain("tok-9b2d7");
    expect(parsed.model.secrets.map((ref) => [ref.path, ref.env])).toEqual([
      ["metrics.remoteWrite[0].basicAuth.passwordEnv", "THANOS_PASSWORD"],
      ["metrics.remoteWrite[1].bearerTokenEnv", "MIMIR_TOKEN"],
    ]);
  });

  it("hands Prometheus's container exactly the secret files its remote_write reads, and no other service those", () => {
    const config = withTargets(
      { ...THANOS, basicAuth: { username: "obs", passwordEnv: "THANOS_PASSWORD" } },
      { name: "mimir", url: "https://mimir.example/api/v1/push", bearerTokenEnv: "MIMIR_TOKEN" },
    );
    const services = composeServices(renderCompose(modelOf(config)));
    expect(services.prometheus?.secrets).toEqual(["mimir_token", "thanos_password"]);
    for (const [name, service] of Object.entries(services)) if (name !== "prometheus") expect(service.secrets ?? [], name).not.toContain("thanos_password");
    expect(composeServices(renderCompose(modelOf({}))).prometheus?.secrets).toBeUndefined();
  });

  it("warns on generate, and refuses on up, when a credential's variable is unset, naming its field", () => {
    const config = withTargets({ ...THANOS, bearerTokenEnv: "OBS_TEST_UNSET_RW_TOKEN" });
    const generated = tryParse(config);
    expect(generated.ok && generated.warnings.map((w) => w.path)).toEqual(["metrics.remoteWrite[0].bearerTokenEnv"]);
    const up = tryParse(config, { mode: "up" });
    expect(up.ok ? [] : up.issues.map((issue) => [issue.path, issue.message])).toEqual([
      ["metrics.remoteWrite[0].bearerTokenEnv", "environment variable OBS_TEST_UNSET_RW_TOKEN is not set"],
    ]);
  });
});

describe("promtool check config on the rendered remote_write", () => {
  const dir = mkdtempSync(join(tmpdir(), "obs-remote-write-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const check = (text: string) => {
    const file = join(dir, "prometheus.yml");
    writeFileSync(file, text);
    return spawnSync(PROMTOOL, ["check", "config", "--syntax-only", file], { encoding: "utf8" });
  };
  const config = withTargets(
    { ...THANOS, basicAuth: { username: "obs", passwordEnv: "THANOS_PASSWORD" }, queue: { minShards: 2, maxShards: 8, minBackoff: "100ms", maxBackoff: "10s" } },
    { name: "mimir", url: "https://mimir.example/api/v1/push", bearerTokenEnv: "MIMIR_TOKEN", queryUrl: "https://mimir.example/prometheus" },
  );

  it("accepts targets with basic auth, a bearer token and queue settings", ({ skip }) => {
    requirePromtool(skip);
    const run = check(prometheusYml(config));
    expect(run.stderr + run.stdout).toContain("SUCCESS");
    expect(run.status).toBe(0);
  });

  // The cross-field rules refuse these in the config, at the field; here promtool shows that
  // Prometheus itself would refuse the rendered file, so the rules are not stricter than it.
  it.for([
    { what: "min_shards above max_shards", field: "min_shards", value: 60, error: /min_shards must not be greater than max_shards/ },
    { what: "max_backoff below min_backoff", field: "max_backoff", value: "10ms", error: /max_backoff must not be less than min_backoff/ },
  ])("refuses $what, as metrics.remoteWrite's rules do", ({ field, value, error }, { skip }) => {
    requirePromtool(skip);
    const file = parse(prometheusYml(config)) as { remote_write: RemoteWrite[] };
    file.remote_write[0]!.queue_config[field] = value;
    const run = check(stringify(file));
    expect(run.status).not.toBe(0);
    expect(run.stderr + run.stdout).toMatch(error);
  });

  it("refuses basic auth and a bearer token on one target, as metrics.remoteWrite's rules do", ({ skip }) => {
    requirePromtool(skip);
    const file = parse(prometheusYml(config)) as { remote_write: RemoteWrite[] };
    file.remote_write[0]!.authorization = { type: "Bearer", credentials_file: "/run/secrets/mimir_token" };
    const run = check(stringify(file));
    expect(run.status).not.toBe(0);
    expect(run.stderr + run.stdout).toMatch(/at most one of basic_auth, oauth2 & authorization must be configured/);
  });
});

describe("Grafana's Prometheus datasource", () => {
  it("reads from the bundled Prometheus by default, and while no target names a queryUrl", () => {
    expect(datasourceUrl({})).toBe("http://prometheus:9090");
    expect(datasourceUrl(withTargets(THANOS))).toBe("http://prometheus:9090");
  });

  it("reads from the queryUrl of the target that names one (for Thanos, Query, not Receive)", () => {
    const url = datasourceUrl(withTargets({ name: "local-copy", url: "http://vm:8428/api/v1/write" }, { ...THANOS, queryUrl: "http://thanos-query:10902" }));
    expect(url).toBe("http://thanos-query:10902");
  });
});
