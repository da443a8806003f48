/**
 * Every golden bundle through every validator that has a file in it, and proof that each validator
 * fails on a broken file. Buildable tools come from the pinned build cache (`npm run tools`), PATH
 * or Docker; when one is missing the test is skipped locally, but fails under CI=true. Image-only
 * tools (Loki, Promtail, Alloy, k6) run where their image can be pulled or they are on PATH;
 * elsewhere the test requires the validator to report itself as not run, naming the image — never
 * a silent pass — while the typed model of the same file is checked by its own case. Typed-model
 * validators always run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackModel } from "../../scripts/stack/config/model.ts";
import { BUNDLE_PATHS, renderBundle, renderRuleTests, renderSyntheticsScripts } from "../../scripts/stack/bundle/bundle.ts";
import { dockerReachable, imagePresent } from "../../scripts/stack/runtime/docker.ts";
import { writeK6Scripts, writeRuleTests } from "../../scripts/stack/validate/rule-tests.ts";
import { runValidators } from "../../scripts/stack/validate/run-validators.ts";
import { isBuildable } from "../../scripts/stack/catalog/tools.ts";
import { ALLOY_MODEL_VERSION } from "../../scripts/stack/validate/models/alloy.ts";
import { GRAFANA_MODEL_VERSION } from "../../scripts/stack/validate/models/grafana-provisioning.ts";
import { K6_MODEL_VERSION } from "../../scripts/stack/validate/models/k6-options.ts";
import { LOKI_MODEL_VERSION } from "../../scripts/stack/validate/models/loki.ts";
import { PROMTAIL_MODEL_VERSION } from "../../scripts/stack/validate/models/promtail.ts";
import { resolveTool } from "../../scripts/stack/runtime/tool-resolver.ts";
import { VALIDATORS, type ToolValidatorSpec, type ValidatorSpec } from "../../scripts/stack/validate/validators.ts";
import { writeBundle } from "../../scripts/stack/write/bundle-writer.ts";
import { FAKE_SECRET_ENV, GOLDEN_CONFIG_NAMES, loadGoldenModel } from "../helpers/golden-configs.ts";

const IN_CI = process.env.CI === "true";

interface WrittenBundle {
  dir: string;
  paths: string[];
  envFile: string;
  model: StackModel;
}

async function writeGolden(name: (typeof GOLDEN_CONFIG_NAMES)[number]): Promise<WrittenBundle> {
  const model = await loadGoldenModel(name);
  const bundle = renderBundle(model);
  const dir = mkdtempSync(join(tmpdir(), `obs-stack-validate-${name}-`));
  writeBundle(dir, bundle);
  // As `npm run validate` does; they stay until the directory is removed.
  const onDemand = [writeRuleTests(dir, model), writeK6Scripts(dir, model)];
  const envFile = join(dir, ".env");
  writeFileSync(envFile, Object.entries(FAKE_SECRET_ENV).map(([key, value]) => `${key}=${value}`).join("\n"));
  return { dir, paths: [...bundle.keys(), ...onDemand.flatMap((files) => files.paths)], envFile, model };
}

/** Why a buildable tool cannot run here, or undefined when it can. */
async function unavailableReason(spec: ToolValidatorSpec, model: StackModel): Promise<string | undefined> {
  const resolved = resolveTool(spec.tool, model);
  if (!resolved) return `${spec.tool} is not installed (run \`npm run tools\`)`;
  if (resolved.kind !== "image") return undefined;
  if (!(await dockerReachable())) return `${spec.tool} is not installed and Docker is not reachable (run \`npm run tools\`)`;
  if (!(await imagePresent(resolved.image))) return `${spec.tool} is not installed and ${resolved.image} is not present (run \`npm run tools\`)`;
  return undefined;
}

/** A buildable tool must be there under CI=true; locally its absence skips the test. Models and image-only tools need nothing here. */
async function requireTool(spec: ValidatorSpec, model: StackModel, skip: (note: string) => void): Promise<void> {
  if (spec.kind !== "tool" || !isBuildable(spec.tool)) return;
  const reason = await unavailableReason(spec, model);
  if (!reason) return;
  if (IN_CI) throw new Error(`CI=true requires every buildable validator: ${reason}`);
  skip(reason);
}

async function runValidator(spec: ValidatorSpec, written: WrittenBundle) {
  const [result] = await runValidators({ model: written.model, bundleDir: written.dir, bundlePaths: written.paths, envFile: written.envFile, only: [spec.name] });
  return result!;
}

/**
 * An image-only validator whose image cannot be had here must say so, naming the image, instead of
 * passing or failing; returns true when that is what happened (the caller then has nothing to run).
 */
function reportedNotRun(spec: ValidatorSpec, result: Awaited<ReturnType<typeof runValidator>>, model: StackModel): boolean {
  if (result.status !== "unavailable") return false;
  expect(spec.kind === "tool" && !isBuildable(spec.tool), `${spec.name} is buildable and must run`).toBe(true);
  const image = spec.kind === "tool" ? (resolveTool(spec.tool, model) as { image?: string } | undefined)?.image : undefined;
  expect(result.detail).toContain(`image-only validator; not runnable without pulling ${image}`);
  process.stdout.write(`not run here: ${spec.name}: ${result.detail}\n`);
  return true;
}

/** Bundle paths (and the on-demand files validate writes next to them) of each golden config, known before the tests are declared: a case exists only where its validator has files. */
const GOLDEN_PATHS = new Map(
  await Promise.all(
    GOLDEN_CONFIG_NAMES.map(async (name) => {
      const model = await loadGoldenModel(name);
      return [name, [...renderBundle(model).keys(), ...renderRuleTests(model).keys(), ...renderSyntheticsScripts(model).keys()]] as const;
    }),
  ),
);
const validatorsFor = (name: (typeof GOLDEN_CONFIG_NAMES)[number]) => VALIDATORS.filter((spec) => spec.files(GOLDEN_PATHS.get(name)!).length > 0);

it("every validator checks at least one golden bundle", () => {
  const covered = new Set(GOLDEN_CONFIG_NAMES.flatMap((name) => validatorsFor(name).map((spec) => spec.name)));
  expect(VALIDATORS.map((spec) => spec.name).filter((name) => !covered.has(name))).toEqual([]);
});

describe.each(GOLDEN_CONFIG_NAMES)("validators on the %s bundle", (name) => {
  let written: WrittenBundle;
  beforeAll(async () => {
    written = await writeGolden(name);
  });
  afterAll(() => rmSync(written.dir, { recursive: true, force: true }));

  it.for(validatorsFor(name))("$name", async (spec, { skip }) => {
    await requireTool(spec, written.model, skip);
    const result = await runValidator(spec, written);
    if (reportedNotRun(spec, result, written.model)) return;
    expect(result.detail).toBe("");
    expect(result.status).toBe("pass");
  });
});

/**
 * A change to each validator's file that the validator must reject: proof that the check can fail.
 * Broken in the everything bundle unless `golden` names the bundle that has the file.
 */
const BREAKAGES: Readonly<
  Record<string, { golden?: (typeof GOLDEN_CONFIG_NAMES)[number]; file: (paths: string[]) => string; breakIt: (text: string) => string }>
> = {
  "docker compose config": { file: () => "compose.yaml", breakIt: (t) => t.replace(/memory: \d+[kmg]/, "memory: lots") },
  "promtool check config": { file: () => "prometheus/prometheus.yml", breakIt: (t) => t.replace(/scrape_interval: \S+/, "scrape_interval: soon") },
  "promtool check rules": { file: () => "prometheus/rules/stack.yml", breakIt: (t) => t.replace("expr: up == 0", "expr: up ==") },
  "promtool test rules": {
    file: () => `${BUNDLE_PATHS.ruleTestsDir}/stack.test.yml`,
    breakIt: (t) => t.replace("severity: warning", "severity: page"),
  },
  "amtool check-config": { file: () => "alertmanager/alertmanager.yml", breakIt: (t) => t.replace(/route:\n  receiver: "[^"]+"/, 'route:\n  receiver: "nobody"') },
  // A valid config that routes the heartbeat elsewhere: only the route test can catch it.
  "amtool config routes test": {
    file: () => "alertmanager/alertmanager.yml",
    breakIt: (t) => t.replace('matchers: ["alertname=\\"Watchdog\\""]', 'matchers: ["alertname=\\"Heartbeat\\""]'),
  },
  "loki -verify-config": { file: () => "loki/loki.yml", breakIt: (t) => t.replace("schema: v13", "schema: v13\n      bogus_field: 1") },
  "promtail -check-syntax": { golden: "promtail", file: () => "promtail/promtail.yml", breakIt: (t) => t.replace("positions:", "positions:\n  bogus_field: 1") },
  // Syntactically fine, but loki.process forwards to a component that does not exist.
  "alloy validate": {
    golden: "alloy",
    file: () => "alloy/config.alloy",
    breakIt: (t) => t.replace("forward_to = [loki.write.loki.receiver]", "forward_to = [loki.write.nowhere.receiver]"),
  },
  "otelcol validate": { file: () => "otelcol/config.yaml", breakIt: (t) => t.replace("exporters: [otlp_http/loki]", "exporters: [otlp_http/nowhere]") },
  "jaeger validate": { file: () => "jaeger/config.yaml", breakIt: (t) => t.replace("trace_storage: badger_store", "trace_storage: missing_store\n    bogus_field: 1") },
  "blackbox_exporter --config.check": { file: () => "blackbox/blackbox.yml", breakIt: (t) => t.replace("prober: tcp", "prober: tcp\n    bogus_field: 1") },
  "caddy validate": { file: () => "proxy/caddy.json", breakIt: (t) => t.replace('"handler": "metrics"', '"handler": "no_such_handler"') },
  "k6 inspect": { file: () => "k6/checkout.ts", breakIt: (t) => t.replace("export default function ()", "export default function (") },
  [`loki config (typed model, Loki ${LOKI_MODEL_VERSION})`]: { file: () => "loki/loki.yml", breakIt: (t) => t.replace("schema: v13", "schema: v12") },
  [`promtail config (typed model, Promtail ${PROMTAIL_MODEL_VERSION})`]: {
    golden: "promtail",
    file: () => "promtail/promtail.yml",
    breakIt: (t) => t.replace("positions:", "positions:\n  bogus_field: 1"),
  },
  [`alloy config (typed model, Alloy ${ALLOY_MODEL_VERSION})`]: {
    golden: "alloy",
    file: () => "alloy/config.alloy",
    breakIt: (t) => t.replace(/forward_to = \[loki\.write\.(\w+)\.receiver\]/, "forward_to = [loki.write.nowhere.receiver]"),
  },
  [`grafana datasources (typed model, Grafana ${GRAFANA_MODEL_VERSION})`]: {
    file: () => "grafana/provisioning/datasources/datasources.yml",
    breakIt: (t) => t.replace("access: proxy", "access: server"),
  },
  [`grafana dashboard providers (typed model, Grafana ${GRAFANA_MODEL_VERSION})`]: {
    file: () => "grafana/provisioning/dashboards/dashboards.yml",
    breakIt: (t) => t.replace("type: file", "type: files"),
  },
  [`k6 options (typed model, k6 ${K6_MODEL_VERSION})`]: { file: () => "k6/checkout.ts", breakIt: (t) => t.replace('executor: "ramping-vus"', 'executor: "ramping-users"') },
};

describe("each validator rejects a broken file", () => {
  const bundles = new Map<string, WrittenBundle>();
  beforeAll(async () => {
    const names = new Set(["everything" as const, ...Object.values(BREAKAGES).flatMap((b) => (b.golden ? [b.golden] : []))]);
    for (const name of names) bundles.set(name, await writeGolden(name));
  });
  afterAll(() => {
    for (const written of bundles.values()) rmSync(written.dir, { recursive: true, force: true });
  });

  it("every validator has a breakage case", () => {
    expect(Object.keys(BREAKAGES).sort()).toEqual(VALIDATORS.map((spec) => spec.name).sort());
  });

  it.for(VALIDATORS)("$name", async (spec, { skip }) => {
    const breakage = BREAKAGES[spec.name]!;
    const written = bundles.get(breakage.golden ?? "everything")!;
    const file = breakage.file(written.paths);
    expect(written.paths, `the ${breakage.golden ?? "everything"} bundle has ${file}`).toContain(file);
    await requireTool(spec, written.model, skip);
    const path = join(written.dir, file);
    const original = readFileSync(path, "utf8");
    const broken = breakage.breakIt(original);
    expect(broken, "the breakage must change the file").not.toBe(original);
    writeFileSync(path, broken);
    try {
      const result = await runValidator(spec, written);
      if (reportedNotRun(spec, result, written.model)) return;
      expect(result.status).toBe("fail");
      expect(result.detail).not.toBe("");
    } finally {
      writeFileSync(path, original);
    }
  });
});
