import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import type { StackConfigInput } from "../../../scripts/stack/index.ts";
import { scrubRules } from "../../../scripts/stack/logs/scrub-rules.ts";
import { BUNDLE_PATHS, renderBundle, renderRuleTests } from "../../../scripts/stack/bundle/bundle.ts";
import { issuesOf, modelOf } from "../../helpers/parse.ts";

interface ComposeService {
  image: string;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
interface PromtailFile {
  scrape_configs: Array<{ relabel_configs: Array<Record<string, unknown>>; pipeline_stages: Array<Record<string, Record<string, unknown>>> }>;
}

const LOGS: StackConfigInput = {
  services: [
    { name: "api", url: "http://api:8080", logs: { format: "json", category: "audit" } },
    { name: "worker", url: "http://worker:9000", logs: { format: "logfmt" } },
    { name: "batch", url: "http://batch:9000", logs: { format: "logfmt", category: "jobs" } },
  ],
  logs: {
    scrub: {
      presets: ["email", "ssn"],
      custom: [{ name: "quoted", pattern: 'secret="([^"\\\\]*)"', replacement: '[RE"DACTED]' }],
    },
    drop: [{ name: "probes", pattern: 'GET /(healthz|readyz) \\d+' }],
  },
};

const withCollector = (collector: "promtail" | "alloy", config: StackConfigInput = LOGS): StackConfigInput => ({
  ...config,
  logs: { ...config.logs, collector },
});

/** Values of `name = "<JSON string>"` attributes, in order: the renderer emits Alloy strings as JSON strings. */
function stringAttributes(alloy: string, name: string): string[] {
  return [...alloy.matchAll(new RegExp(`^\\s*${name}\\s*=\\s*(".*")$`, "gm"))].map((match) => JSON.parse(match[1]!) as string);
}

/** The body of each top-level or nested block with this header, e.g. `stage.replace`. */
function blocks(alloy: string, header: string): string[] {
  const found: string[] = [];
  let index = alloy.indexOf(`${header} {`);
  while (index !== -1) {
    let depth = 0;
    let end = index;
    for (let i = alloy.indexOf("{", index); i < alloy.length; i++) {
      if (alloy[i] === "{") depth++;
      if (alloy[i] === "}" && --depth === 0) {
        end = i;
        break;
      }
    }
    found.push(alloy.slice(index, end + 1));
    index = alloy.indexOf(`${header} {`, end);
  }
  return found;
}

describe('logs.collector: "alloy"', () => {
  const bundle = renderBundle(modelOf(withCollector("alloy")));
  const alloy = bundle.get("alloy/config.alloy")!;
  const promtail = parse(renderBundle(modelOf(withCollector("promtail"))).get("promtail/promtail.yml")!) as PromtailFile;
  const pipeline = promtail.scrape_configs[0]!.pipeline_stages;

  it("runs Alloy instead of Promtail: its config, service, scrape job and rule pack, none of Promtail's", () => {
    expect(alloy).toBeDefined();
    expect(bundle.has("promtail/promtail.yml")).toBe(false);
    const services = (parse(bundle.get("compose.yaml")!) as { services: Record<string, ComposeService> }).services;
    expect(Object.keys(services)).toContain("alloy");
    expect(Object.keys(services)).not.toContain("promtail");
    expect(bundle.get("prometheus/prometheus.yml")).toContain("alloy:12345");
    expect(bundle.has("prometheus/rules/alloy.yml")).toBe(true);
    expect(renderRuleTests(modelOf(withCollector("alloy"))).has(`${BUNDLE_PATHS.ruleTestsDir}/alloy.test.yml`)).toBe(true);
    expect(bundle.has("prometheus/rules/promtail.yml")).toBe(false);
  });

  it("is not the default: the Collector ships container logs unless logs.collector names an agent", () => {
    const defaults = renderBundle(modelOf(LOGS));
    expect(defaults.has("promtail/promtail.yml")).toBe(false);
    expect(defaults.has("alloy/config.alloy")).toBe(false);
    expect(defaults.has("prometheus/rules/alloy.yml")).toBe(false);
    expect(renderBundle(modelOf(withCollector("promtail"))).has("promtail/promtail.yml")).toBe(true);
  });

  it("pushes to an existing Loki when logs.loki.url names one", () => {
    const external = renderBundle(
      modelOf(withCollector("alloy", { ...LOGS, components: { loki: { enabled: false } }, logs: { ...LOGS.logs, loki: { url: "http://loki.internal:3100/" } } })),
    );
    expect(stringAttributes(external.get("alloy/config.alloy")!, "url")).toEqual(["http://loki.internal:3100/loki/api/v1/push"]);
  });

  it("wires discovery → relabel → docker source → process → write", () => {
    expect(alloy).toMatch(/discovery\.relabel "containers" \{\n  targets = discovery\.docker\.containers\.targets/);
    expect(alloy).toMatch(/targets\s+= discovery\.relabel\.containers\.output/);
    expect(alloy).toMatch(/forward_to = \[loki\.process\.containers\.receiver\]/);
    expect(alloy).toMatch(/forward_to = \[loki\.write\.loki\.receiver\]/);
    expect(stringAttributes(alloy, "url")).toEqual(["http://loki:3100/loki/api/v1/push"]);
    expect(stringAttributes(alloy, "host")).toEqual(["unix:///var/run/docker.sock", "unix:///var/run/docker.sock"]);
  });

  it("relabels to the same labels as Promtail, rule for rule", () => {
    const rules = blocks(alloy, "rule");
    const promtailRules = promtail.scrape_configs[0]!.relabel_configs;
    expect(rules).toHaveLength(promtailRules.length);
    rules.forEach((rule, i) => {
      const expected = promtailRules[i]!;
      expect(stringAttributes(rule, "target_label"), rule).toEqual([expected.target_label]);
      expect(stringAttributes(rule, "regex"), rule).toEqual(expected.regex === undefined ? [] : [expected.regex]);
      expect(stringAttributes(rule, "replacement"), rule).toEqual(expected.replacement === undefined ? [] : [expected.replacement]);
      const sources = /source_labels = \[(.*)\]/.exec(rule)?.[1];
      expect(sources ? (JSON.parse(`[${sources}]`) as string[]) : undefined, rule).toEqual(expected.source_labels);
    });
    expect(rules.map((rule) => stringAttributes(rule, "target_label")[0])).toEqual(
      expect.arrayContaining(["container", "compose_project", "compose_service", "service", "category"]),
    );
  });

  it("drops, then parses logfmt only for logfmt services, then JSON, as Promtail does", () => {
    const drops = blocks(alloy, "stage.drop");
    expect(drops.map((d) => stringAttributes(d, "expression")[0])).toEqual(["GET /(healthz|readyz) \\d+"]);
    expect(drops.map((d) => stringAttributes(d, "drop_counter_reason")[0])).toEqual(["probes"]);
    const matches = blocks(alloy, "stage.match");
    expect(matches.map((m) => stringAttributes(m, "selector")[0])).toEqual(['{service="worker"}', '{service="batch"}']);
    expect(pipeline.filter((stage) => stage.match).map((stage) => stage.match!.selector)).toEqual(['{service="worker"}', '{service="batch"}']);
    for (const match of matches) expect(match).toContain('stage.logfmt {\n      mapping = { "level" = "", "trace_id" = "", "request_id" = "" }');
    const order = ["stage.drop", "stage.match", "stage.json", "stage.template", "stage.labels", "stage.structured_metadata", "stage.replace"].map(
      (stage) => alloy.indexOf(`${stage} {`),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("lowercases level into a label and keeps trace_id and request_id as structured metadata", () => {
    expect(stringAttributes(blocks(alloy, "stage.template")[0]!, "template")).toEqual(["{{ ToLower .Value }}"]);
    expect(blocks(alloy, "stage.labels")[0]).toContain('values = { "level" = "" }');
    expect(blocks(alloy, "stage.structured_metadata")[0]).toContain('values = { "trace_id" = "", "request_id" = "" }');
  });

  it("scrubs with every rule, in the same order and with the same patterns as Promtail, quotes and backslashes intact", () => {
    const replaces = blocks(alloy, "stage.replace");
    const rules = scrubRules(modelOf(withCollector("alloy")).config.logs);
    expect(rules.map((rule) => rule.name)).toEqual(["ssn", "email", "quoted"]);
    expect(replaces.map((r) => stringAttributes(r, "expression")[0])).toEqual(rules.map((rule) => rule.pattern));
    expect(replaces.map((r) => stringAttributes(r, "replace")[0])).toEqual(rules.map((rule) => rule.replacement));
    expect(pipeline.filter((stage) => stage.replace).map((stage) => stage.replace!.expression)).toEqual(rules.map((rule) => rule.pattern));
  });
});

describe("the alloy compose service", () => {
  const services = (parse(renderBundle(modelOf(withCollector("alloy", { components: { alloy: { port: 12400, memory: "384m" } } }))).get("compose.yaml")!) as {
    services: Record<string, ComposeService & { deploy?: { resources?: { limits?: { memory?: string } } } }>;
  }).services;
  const alloy = services.alloy!;

  it("runs the pinned image with its config, listening beyond loopback, without usage reports", () => {
    expect(alloy.image).toBe("grafana/alloy:v1.15.1");
    expect(alloy.command).toEqual([
      "run",
      "/etc/alloy/config.alloy",
      "--server.http.listen-addr=0.0.0.0:12345",
      "--storage.path=/var/lib/alloy-data",
      "--disable-reporting",
    ]);
    expect(alloy.ports).toEqual(["127.0.0.1:12400:12345"]);
    expect(alloy.deploy?.resources?.limits?.memory).toBe("384m");
  });

  it("reads the Docker socket read-only and keeps its positions on a volume", () => {
    expect(alloy.volumes).toEqual(["./alloy:/etc/alloy:ro", "alloy-data:/var/lib/alloy-data", "/var/run/docker.sock:/var/run/docker.sock:ro"]);
  });

  it("is healthy when /-/ready answers 200, probed with bash (the image has no wget or curl), after Loki", () => {
    expect(alloy.healthcheck?.test.slice(0, 3)).toEqual(["CMD", "bash", "-c"]);
    expect(alloy.healthcheck?.test[3]).toContain("/dev/tcp/127.0.0.1/12345");
    expect(alloy.healthcheck?.test[3]).toContain("GET /-/ready");
    expect(alloy.depends_on).toEqual({ loki: { condition: "service_healthy" } });
  });
});

describe("log collector rules", () => {
  it("rejects enabling the collector logs.collector does not name, with the path and a hint", () => {
    const issues = issuesOf({ components: { promtail: { enabled: true } }, logs: { collector: "alloy" } });
    expect(issues).toEqual([
      expect.objectContaining({
        path: "components.promtail.enabled",
        message: expect.stringContaining('logs.collector is "alloy"'),
        hint: expect.stringContaining('set logs.collector to "promtail"'),
      }),
    ]);
    expect(issuesOf({ components: { alloy: { enabled: true } } })).toEqual([
      expect.objectContaining({ path: "components.alloy.enabled", hint: expect.stringContaining('set logs.collector to "alloy"') }),
    ]);
  });

  it("accepts enabling the chosen collector explicitly, and switching log collection off with its enabled: false", () => {
    expect(modelOf({ components: { alloy: { enabled: true } }, logs: { collector: "alloy" } }).enabled).toMatchObject({ alloy: true, promtail: false });
    expect(modelOf({ components: { alloy: { enabled: false } }, logs: { collector: "alloy" } }).enabled).toMatchObject({ alloy: false, promtail: false });
    expect(modelOf({ components: { promtail: { enabled: false } }, logs: { collector: "alloy" } }).enabled).toMatchObject({ alloy: true, promtail: false });
  });

  it("needs Loki", () => {
    expect(issuesOf({ components: { loki: { enabled: false } }, logs: { collector: "alloy" } })).toEqual([
      expect.objectContaining({ path: "components.alloy.enabled", hint: "enable components.loki, set logs.loki.url to an existing Loki, or disable components.alloy" }),
    ]);
  });

  it("checks Alloy's port for collisions only when it runs", () => {
    expect(issuesOf({ components: { alloy: { port: 9090 } }, logs: { collector: "alloy" } })).toEqual([
      expect.objectContaining({ path: "components.alloy.port", message: expect.stringContaining("components.prometheus.port") }),
    ]);
    expect(modelOf({ components: { alloy: { port: 9090 } } }).enabled.alloy).toBe(false);
  });
});
