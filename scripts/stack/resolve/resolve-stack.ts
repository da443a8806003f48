/**
 * The resolve step: the facts derived from the model that several parts read (synthetic checks,
 * probe jobs, SLO objectives, k6 scripts, alert timings), computed once so that render, the dashboards and the
 * synthetics runner never derive them again, and so never disagree.
 */
import type { StackModel } from "../config/model.ts";
import { alertTimings, type AlertTimings } from "./alert-latency.ts";
import { serviceChecks, type ServiceChecks } from "./checks.ts";
import { k6Scripts, type K6Script } from "./k6-scripts.ts";
import { probeTargets, type ProbeTarget } from "./probes.ts";
import { sloObjectives, type SloObjective } from "./slo-objectives.ts";

export interface ResolvedStack extends StackModel {
  /** Every service's checks, in the order of config.services. */
  checks: ServiceChecks[];
  /** One blackbox probe job per continuous check, whether or not blackbox runs. */
  probes: ProbeTarget[];
  objectives: SloObjective[];
  k6Scripts: K6Script[];
  /** Intervals, `for` durations and group waits, explicit or derived from alerting.latencyBudget. */
  timings: AlertTimings;
}

export function resolveStack(model: StackModel): ResolvedStack {
  const checks = model.config.services.map((service) => ({ service, checks: serviceChecks(service) }));
  const timings = alertTimings(model.config);
  return {
    ...model,
    checks,
    probes: probeTargets(checks, timings),
    timings,
    // An SLO is computed from the service's request metrics: a service Prometheus does not scrape has none.
    objectives: sloObjectives(model.config.services.filter((service) => service.metricsPath !== false)),
    k6Scripts: k6Scripts(checks),
  };
}
