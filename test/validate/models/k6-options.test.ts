import { beforeAll, describe, expect, it, vi } from "vitest";
import { checkThresholds, type HttpCheck } from "../../../k6/lib/synthetics.ts";
import { formatFinding } from "../../../scripts/stack/validate/models/findings.ts";
import { checkK6Options, checkK6Script } from "../../../scripts/stack/validate/models/k6-options.ts";
import { checkThresholdsOf, scriptOptions } from "../../../scripts/stack/validate/models/k6-script.ts";
import { goldenFiles, rejectsEach, type GoldenFile } from "./model-cases.ts";

// The shared k6 helper imports k6's own modules, which exist only inside k6; checkThresholds uses neither.
vi.mock("k6", () => ({ check: vi.fn(), group: vi.fn() }));
vi.mock("k6/http", () => ({ default: {} }));

let scripts: GoldenFile[];
beforeAll(async () => {
  scripts = await goldenFiles((path) => /^k6\/[^/]+\.ts$/.test(path));
});

const withProfile = () => scripts.find((file) => /const PROFILES[^=]*= \{"/.test(file.text))!.text;

describe("k6 options model", () => {
  it("accepts the options of every golden bundle's k6 scripts, in every variant", () => {
    expect(scripts.length).toBeGreaterThan(0);
    for (const { config, file, text } of scripts) expect(checkK6Script(text).map(formatFinding), `${config} ${file}`).toEqual([]);
  });

  it("reads the check run and every profile out of a script", () => {
    const read = scriptOptions(withProfile());
    expect("variants" in read && read.variants.map((variant) => variant.variant)).toEqual(["check run", expect.stringMatching(/^profile /)]);
  });

  it("derives the same per-check thresholds as the scripts' own helper", () => {
    for (const { text } of scripts) {
      const checks = JSON.parse(/const CHECKS: HttpCheck\[\] = (.*);$/m.exec(text)![1]!) as HttpCheck[];
      for (const strict of [true, false]) expect(checkThresholdsOf(checks, strict)).toEqual(checkThresholds(checks, strict));
    }
  });

  rejectsEach(checkK6Script, withProfile, [
    { name: "an unknown executor", breakIt: (text) => text.replace('executor: "ramping-vus"', 'executor: "ramping-users"'), field: "scenarios.load.executor", message: "unknown executor" },
    { name: "a malformed threshold expression", breakIt: (text) => text.replace(/"p\(95\)<(\d+)"/, '"p95<$1"'), field: "thresholds.http_req_duration[0]", message: "is not" },
    { name: "ramping-vus without stages", breakIt: (text) => text.replace("stages: profile.stages, ", ""), field: "scenarios.load.stages", message: "required" },
    { name: "a stage duration k6 cannot parse", breakIt: (text) => text.replace(/"duration":"(\d+)s"/, '"duration":"$1 s"'), field: "stages[0].duration", message: "not a k6 duration" },
    { name: "a percentile on a Rate metric", breakIt: (text) => text.replace(/"rate<([\d.]+)"/, '"p(95)<$1"'), field: "thresholds.http_req_failed[0]", message: "no percentiles" },
    { name: "a threshold on a misspelled metric", breakIt: (text) => text.replace('"checks":[', '"check":['), field: "thresholds.check", message: "not a k6 built-in metric" },
    { name: "an unknown scenario option", breakIt: (text) => text.replace('maxDuration: "2m"', 'maxDuration: "2m", duration: "1m"'), field: "scenarios.checks.duration", message: "unknown key" },
    { name: "options the model cannot evaluate", breakIt: (text) => text.replace("checkThresholds(CHECKS, true)", "buildThresholds(CHECKS)"), field: "options", message: "cannot read the options" },
  ]);

  it.each([
    ["constant-vus without duration", { scenarios: { s: { executor: "constant-vus", vus: 2 } } }, "scenarios.s.duration", "required"],
    ["per-vu-iterations with a negative vus", { scenarios: { s: { executor: "per-vu-iterations", vus: -1 } } }, "scenarios.s.vus", "must be at least 0"],
    ["ramping-vus that never starts a VU", { scenarios: { s: { executor: "ramping-vus", startVUs: 0, stages: [{ duration: "10s", target: 0 }] } } }, "scenarios.s.stages", "above 0"],
    ["a tag filter without a value", { thresholds: { "http_req_duration{synthetic}": ["max<100"] } }, "thresholds.http_req_duration{synthetic}", "tag:value"],
    ["a percentile above 100", { thresholds: { http_req_duration: ["p(101)<100"] } }, "thresholds.http_req_duration[0]", "0 to 100"],
    ["abortOnFail given as a string", { thresholds: { checks: [{ threshold: "rate==1", abortOnFail: "yes" }] } }, "thresholds.checks[0].abortOnFail", "expected true or false"],
  ])("rejects options with %s", (_name, options, field, message) => {
    const findings = checkK6Options(options);
    expect(findings.some((item) => item.path === field && item.message.includes(message)), findings.map(formatFinding).join(" | ")).toBe(true);
  });
});
