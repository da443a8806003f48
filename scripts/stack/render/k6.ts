/**
 * k6 scripts for `npm run synthetics`: one per service with HTTP checks, generated from k6/service.ts.hbs,
 * plus the shared helper they import.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { LoadProfileConfig } from "../config/synthetics-schema.ts";
import { durationToSeconds } from "../syntax/durations.ts";
import type { HttpSyntheticCheck } from "../resolve/checks.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { REPO_ROOT, renderTemplate } from "./templates.ts";

export const K6_DIR = "k6";
const K6_LIB_DIR = "lib";

export function renderK6Scripts(model: ResolvedStack): Array<[string, string]> {
  const scripts = model.k6Scripts.map(({ service, file, checks }): [string, string] => {
    const profiles = Object.fromEntries(Object.entries(service.synthetics.profiles).map(([name, profile]) => [name, k6Profile(profile)]));
    return [`${K6_DIR}/${file}`, renderTemplate("k6/service.ts", { service: service.name, checks: checks.map(k6Check), profiles })];
  });
  if (scripts.length === 0) return [];
  const libDir = join(REPO_ROOT, K6_DIR, K6_LIB_DIR);
  const lib = readdirSync(libDir)
    .sort()
    .map((file): [string, string] => [`${K6_DIR}/${K6_LIB_DIR}/${file}`, readFileSync(join(libDir, file), "utf8")]);
  return [...lib, ...scripts];
}

function k6Check(check: HttpSyntheticCheck) {
  const { certificateDaysLeft: _blackboxOnly, ...expect } = check.expect;
  return { name: check.name, method: check.method, url: check.url, headers: check.headers, body: check.body, expect };
}

function k6Profile(profile: LoadProfileConfig) {
  const { p95, p99, errorRate, checksPassRate } = profile.thresholds;
  const latency = [
    ...(p95 ? [`p(95)<${Math.round(durationToSeconds(p95) * 1000)}`] : []),
    ...(p99 ? [`p(99)<${Math.round(durationToSeconds(p99) * 1000)}`] : []),
  ];
  return {
    stages: profile.stages,
    thresholds: {
      ...(latency.length ? { http_req_duration: latency } : {}),
      ...(errorRate !== undefined ? { http_req_failed: [`rate<${errorRate}`] } : {}),
      checks: [`rate>=${checksPassRate}`],
    },
  };
}
