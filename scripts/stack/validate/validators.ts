/**
 * Every validator, as data. A tool validator runs a component's own CLI (which tool, which bundle
 * files, which arguments); a model validator checks a file in-process against a typed model of its
 * format (scripts/stack/validate/models/), for the components whose CLIs are image-only here.
 */
import type { ToolName } from "../catalog/tools.ts";
import type { StackModel } from "../config/model.ts";
import { routeTestCases } from "../render/alert-routing.ts";
import { BUNDLE_PATHS } from "../bundle/bundle.ts";
import { ALLOY_MODEL_VERSION, checkAlloyConfig } from "./models/alloy.ts";
import type { ModelFinding } from "./models/findings.ts";
import { GRAFANA_MODEL_VERSION, checkGrafanaDashboardProviders, checkGrafanaDatasources } from "./models/grafana-provisioning.ts";
import { K6_MODEL_VERSION, checkK6Script } from "./models/k6-options.ts";
import { LOKI_MODEL_VERSION, checkLokiConfig } from "./models/loki.ts";
import { PROMTAIL_MODEL_VERSION, checkPromtailConfig } from "./models/promtail.ts";

interface ValidatorBase {
  name: string;
  /** Bundle-relative files it checks; a validator whose files are absent (component disabled) is skipped. */
  files: (paths: readonly string[]) => string[];
}

export interface ModelValidatorSpec extends ValidatorBase {
  kind: "model";
  /** Findings for one file; empty when it fits the model. */
  check: (text: string) => ModelFinding[];
}

export interface ToolValidatorSpec extends ValidatorBase {
  kind: "tool";
  tool: ToolName;
  /** `file` maps a bundle-relative path to the path the tool sees (host path or in-container path). */
  args: (files: string[], context: { envFile: string | undefined }) => string[];
  /** For tools that check one input per run: the tool runs once per case, with the case's arguments after `args`. */
  cases?: (model: StackModel) => Array<{ name: string; args: string[] }>;
  /** For tools that take one file per run: the tool runs once per file. */
  perFile?: boolean;
}

export type ValidatorSpec = ToolValidatorSpec | ModelValidatorSpec;

const exactly = (path: string) => (paths: readonly string[]) => paths.filter((p) => p === path);
const matching = (pattern: RegExp) => (paths: readonly string[]) => paths.filter((p) => pattern.test(p));
/** The generated scripts, not their shared lib/. */
const K6_SCRIPTS = matching(/^k6\/[^/]+\.ts$/);

export const VALIDATORS: readonly ValidatorSpec[] = [
  {
    name: "docker compose config",
    kind: "tool",
    tool: "compose",
    files: exactly(BUNDLE_PATHS.compose),
    args: ([file], { envFile }) => [...(envFile ? ["--env-file", envFile] : []), "-f", file!, "config", "--quiet"],
  },
  {
    name: "promtool check config",
    kind: "tool",
    tool: "promtool",
    files: exactly(BUNDLE_PATHS.prometheus),
    // Rule files are referenced by their in-container path; `check rules` below covers them.
    args: ([file]) => ["check", "config", "--syntax-only", file!],
  },
  {
    name: "promtool check rules",
    kind: "tool",
    tool: "promtool",
    files: matching(/^prometheus\/rules\/[^/]+\.yml$/),
    args: (files) => ["check", "rules", ...files],
  },
  {
    name: "promtool test rules",
    kind: "tool",
    tool: "promtool",
    // Written next to the rules by validate (rule-tests.ts): the bundle itself has no tests.
    files: (paths) => paths.filter((path) => path.startsWith(`${BUNDLE_PATHS.ruleTestsDir}/`) && path.endsWith(".test.yml")),
    args: (files) => ["test", "rules", ...files],
  },
  {
    name: "amtool check-config",
    kind: "tool",
    tool: "amtool",
    files: exactly(BUNDLE_PATHS.alertmanager),
    args: ([file]) => ["check-config", file!],
  },
  {
    name: "amtool config routes test",
    kind: "tool",
    tool: "amtool",
    files: exactly(BUNDLE_PATHS.alertmanager),
    args: ([file]) => ["config", "routes", "test", `--config.file=${file!}`],
    // Each sample alert must reach exactly the receivers the config asks for, in order.
    cases: (model) =>
      routeTestCases(model).map(({ name, labels, receivers }) => ({
        name: `${name} (expected ${receivers.join(", ")})`,
        args: [`--verify.receivers=${receivers.join(",")}`, ...Object.entries(labels).map(([label, value]) => `${label}=${JSON.stringify(value)}`)],
      })),
  },
  {
    name: "loki -verify-config",
    kind: "tool",
    tool: "loki",
    files: exactly(BUNDLE_PATHS.loki),
    args: ([file]) => ["-verify-config", `-config.file=${file!}`],
  },
  {
    name: "promtail -check-syntax",
    kind: "tool",
    tool: "promtail",
    files: exactly(BUNDLE_PATHS.promtail),
    args: ([file]) => ["-check-syntax", `-config.file=${file!}`],
  },
  {
    // Parses the file and builds every component against Alloy's registry (arguments, references
    // between components, stability level) without running them.
    name: "alloy validate",
    kind: "tool",
    tool: "alloy",
    files: exactly(BUNDLE_PATHS.alloy),
    args: ([file]) => ["validate", file!],
  },
  {
    name: "otelcol validate",
    kind: "tool",
    tool: "otelcol",
    files: exactly(BUNDLE_PATHS.otelCollector),
    args: ([file]) => ["validate", `--config=${file!}`],
  },
  {
    name: "jaeger validate",
    kind: "tool",
    tool: "jaeger",
    files: exactly(BUNDLE_PATHS.jaeger),
    args: ([file]) => ["validate", `--config=${file!}`],
  },
  {
    name: "blackbox_exporter --config.check",
    kind: "tool",
    tool: "blackbox",
    files: exactly(BUNDLE_PATHS.blackbox),
    args: ([file]) => ["--config.check", `--config.file=${file!}`],
  },
  {
    // Loads and provisions every module without serving. It also makes the internal CA, in Caddy's
    // data directory of the user who runs it ($XDG_DATA_HOME/caddy, else ~/.local/share/caddy).
    name: "caddy validate",
    kind: "tool",
    tool: "caddy",
    files: exactly(BUNDLE_PATHS.proxy),
    args: ([file]) => ["validate", `--config=${file!}`],
  },
  {
    name: "k6 inspect",
    kind: "tool",
    tool: "k6",
    files: K6_SCRIPTS,
    args: ([file]) => ["inspect", file!],
    perFile: true,
  },
  {
    name: `loki config (typed model, Loki ${LOKI_MODEL_VERSION})`,
    kind: "model",
    files: exactly(BUNDLE_PATHS.loki),
    check: checkLokiConfig,
  },
  {
    name: `promtail config (typed model, Promtail ${PROMTAIL_MODEL_VERSION})`,
    kind: "model",
    files: exactly(BUNDLE_PATHS.promtail),
    check: checkPromtailConfig,
  },
  {
    name: `alloy config (typed model, Alloy ${ALLOY_MODEL_VERSION})`,
    kind: "model",
    files: exactly(BUNDLE_PATHS.alloy),
    check: checkAlloyConfig,
  },
  {
    name: `grafana datasources (typed model, Grafana ${GRAFANA_MODEL_VERSION})`,
    kind: "model",
    files: exactly(BUNDLE_PATHS.grafanaDatasources),
    check: checkGrafanaDatasources,
  },
  {
    name: `grafana dashboard providers (typed model, Grafana ${GRAFANA_MODEL_VERSION})`,
    kind: "model",
    files: exactly(BUNDLE_PATHS.grafanaDashboardProvider),
    check: checkGrafanaDashboardProviders,
  },
  {
    name: `k6 options (typed model, k6 ${K6_MODEL_VERSION})`,
    kind: "model",
    files: K6_SCRIPTS,
    check: checkK6Script,
  },
];
