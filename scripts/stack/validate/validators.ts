/** Every component's own validator, as data: which tool, which bundle files, which arguments. */
import type { ToolName } from "../catalog/tools.ts";
import type { StackModel } from "../config/model.ts";
import { routeTestCases } from "../render/alert-routing.ts";
import { BUNDLE_PATHS } from "../render/bundle.ts";

export interface ValidatorSpec {
  name: string;
  tool: ToolName;
  /** Bundle-relative files it checks; a validator whose files are absent (component disabled) is skipped. */
  files: (paths: readonly string[]) => string[];
  /** `file` maps a bundle-relative path to the path the tool sees (host path or in-container path). */
  args: (files: string[], context: { envFile: string | undefined }) => string[];
  /** For tools that check one input per run: the tool runs once per case, with the case's arguments after `args`. */
  cases?: (model: StackModel) => Array<{ name: string; args: string[] }>;
  /** For tools that take one file per run: the tool runs once per file. */
  perFile?: boolean;
}

const exactly = (path: string) => (paths: readonly string[]) => paths.filter((p) => p === path);
const matching = (pattern: RegExp) => (paths: readonly string[]) => paths.filter((p) => pattern.test(p));

export const VALIDATORS: readonly ValidatorSpec[] = [
  {
    name: "docker compose config",
    tool: "compose",
    files: exactly(BUNDLE_PATHS.compose),
    args: ([file], { envFile }) => [...(envFile ? ["--env-file", envFile] : []), "-f", file!, "config", "--quiet"],
  },
  {
    name: "promtool check config",
    tool: "promtool",
    files: exactly(BUNDLE_PATHS.prometheus),
    // Rule files are referenced by their in-container path; `check rules` below covers them.
    args: ([file]) => ["check", "config", "--syntax-only", file!],
  },
  {
    name: "promtool check rules",
    tool: "promtool",
    files: matching(/^prometheus\/rules\/[^/]+\.yml$/),
    args: (files) => ["check", "rules", ...files],
  },
  {
    name: "promtool test rules",
    tool: "promtool",
    files: matching(/^prometheus\/rules\/tests\/[^/]+\.test\.yml$/),
    args: (files) => ["test", "rules", ...files],
  },
  {
    name: "amtool check-config",
    tool: "amtool",
    files: exactly(BUNDLE_PATHS.alertmanager),
    args: ([file]) => ["check-config", file!],
  },
  {
    name: "amtool config routes test",
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
    tool: "loki",
    files: exactly(BUNDLE_PATHS.loki),
    args: ([file]) => ["-verify-config", `-config.file=${file!}`],
  },
  {
    name: "promtail -check-syntax",
    tool: "promtail",
    files: exactly(BUNDLE_PATHS.promtail),
    args: ([file]) => ["-check-syntax", `-config.file=${file!}`],
  },
  {
    // Parses the file and builds every component against Alloy's registry (arguments, references
    // between components, stability level) without running them.
    name: "alloy validate",
    tool: "alloy",
    files: exactly(BUNDLE_PATHS.alloy),
    args: ([file]) => ["validate", file!],
  },
  {
    name: "otelcol validate",
    tool: "otelcol",
    files: exactly(BUNDLE_PATHS.otelCollector),
    args: ([file]) => ["validate", `--config=${file!}`],
  },
  {
    name: "jaeger validate",
    tool: "jaeger",
    files: exactly(BUNDLE_PATHS.jaeger),
    args: ([file]) => ["validate", `--config=${file!}`],
  },
  {
    name: "blackbox_exporter --config.check",
    tool: "blackbox",
    files: exactly(BUNDLE_PATHS.blackbox),
    args: ([file]) => ["--config.check", `--config.file=${file!}`],
  },
  {
    name: "k6 inspect",
    tool: "k6",
    files: matching(/^k6\/[^/]+\.ts$/),
    args: ([file]) => ["inspect", file!],
    perFile: true,
  },
];
