/**
 * Cross-field rules of the synthetic checks: names, timeouts against intervals, TLS-only assertions.
 * They judge the derived checks and probe jobs, so they run after resolve, not with the config's own.
 */
import { durationToSeconds } from "../syntax/durations.ts";
import { duplicates } from "../config/rules.ts";
import { formatPath } from "../config/zod-issues.ts";
import type { ConfigIssue } from "../errors.ts";
import type { ResolvedStack } from "./resolve-stack.ts";

export function syntheticsProblems(model: ResolvedStack): ConfigIssue[] {
  return [...perServiceProblems(model), ...probeJobClashes(model)];
}

/** "a-b" + "c" and "a" + "b-c" would both be job probe-a-b-c (clashes within a service are duplicate check names). */
function probeJobClashes(model: ResolvedStack): ConfigIssue[] {
  const seen = new Set<string>();
  const targets = model.probes.filter((target) => {
    const key = `${target.service}\u0000${target.jobName}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const serviceIndex = new Map(model.config.services.map((service, i) => [service.name, i]));
  return duplicates(
    targets,
    (target) => target.jobName,
    (i) => ["services", serviceIndex.get(targets[i]!.service)!, "synthetics"],
    "probe job name (service name + check name)",
  ).map((issue) => ({ ...issue, hint: "rename the service or the check so the two probe jobs differ" }));
}

function perServiceProblems(model: ResolvedStack): ConfigIssue[] {
  return model.checks.flatMap(({ service, checks }, serviceIndex) => {
    const base = ["services", serviceIndex, "synthetics"];
    const { synthetics } = service;
    const checkPaths = new Map<string, PropertyKey[]>();
    synthetics.checks.forEach((check, i) => checkPaths.set(check.name, [...base, "checks", i]));
    synthetics.tcp.forEach((check, i) => checkPaths.set(check.name, [...base, "tcp", i]));
    const issues = duplicates(
      checks,
      (check) => check.name,
      (i) => [...(checkPaths.get(checks[i]!.name) ?? base), "name"],
      `synthetic check name of service "${service.name}" (health endpoints are checks named live, ready and detailed)`,
    );
    const probeInterval = model.timings.services[serviceIndex]!.probeInterval;
    const intervalSeconds = durationToSeconds(probeInterval);
    synthetics.checks.forEach((check, i) => {
      const path = [...base, "checks", i, "expect"];
      const max = check.expect.maxDuration;
      if (check.continuous && max && durationToSeconds(max) >= intervalSeconds)
        issues.push({
          path: formatPath([...path, "maxDuration"]),
          message: `${max} is not shorter than the probe interval (${probeInterval})`,
          hint: `lower maxDuration or raise services[${serviceIndex}].synthetics.interval`,
        });
      if (check.expect.certificateDaysLeft !== undefined && !service.url.startsWith("https:"))
        issues.push({
          path: formatPath([...path, "certificateDaysLeft"]),
          message: `the service URL ${service.url} is not https, so there is no certificate to check`,
          hint: "remove certificateDaysLeft or use an https:// URL",
        });
      if (check.expect.certificateDaysLeft !== undefined && !check.continuous)
        issues.push({
          path: formatPath([...path, "certificateDaysLeft"]),
          message: "certificate expiry is checked by the continuous blackbox probe, which this check turns off",
          hint: "set continuous: true or remove certificateDaysLeft",
        });
    });
    return issues;
  });
}
