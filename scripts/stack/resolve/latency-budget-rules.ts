/**
 * Refusals of the latency budget: a setting of the user's own (a scrape or probe interval, an
 * evaluation interval, a `for`, a group wait) with which an alert of a severity can take longer than
 * alerting.latencyBudget allows, or an alertAfter so short that one failed probe fires. They judge the
 * derived timings, so they run after resolve.
 */
import { formatPath } from "../config/zod-issues.ts";
import type { ConfigIssue } from "../errors.ts";
import { formatDuration } from "../syntax/durations.ts";
import {
  hostSilenceTerms,
  latencyTerms,
  minimumFor,
  timingSeconds,
  worstCaseSeconds,
  type BudgetedSeverity,
  type LatencyTerms,
  type TimingSeconds,
} from "./alert-latency.ts";
import type { ResolvedStack } from "./resolve-stack.ts";

type Path = PropertyKey[];

/** The alerts of one service that share their timing, with the paths of the settings the user set. */
export interface TimedAlerts {
  alerts: string[];
  severity: BudgetedSeverity;
  /** "scrape" or "probe", for the messages; "silence": an agent host's window without samples (AgentHostDown). */
  source: "scrape" | "probe" | "silence";
  terms: LatencyTerms;
  intervalPath?: Path;
  forPath?: Path;
}

export function latencyBudgetProblems(model: ResolvedStack): ConfigIssue[] {
  // Without Prometheus nothing fires, without Alertmanager nothing is sent: no latency to bound.
  if (!model.enabled.prometheus || !model.enabled.alertmanager) return [];
  const times = timingSeconds(model.config);
  const issues = budgetedAlerts(model, times).flatMap((timed) => problems(model, times, timed));
  // Several services may be over the budget because of one shared setting: it is reported once.
  const seen = new Set<string>();
  return issues.filter((issue) => !seen.has(issue.path) && seen.add(issue.path));
}

/** Every generated alert of a budgeted severity, grouped by shared timing (the README's table lists them too). */
export function budgetedAlerts(model: ResolvedStack, times: TimingSeconds): TimedAlerts[] {
  const { config } = model;
  const globalScrape: Path | undefined = config.components.prometheus.scrapeInterval ? ["components", "prometheus", "scrapeInterval"] : undefined;
  const hosts: TimedAlerts[] =
    config.hosts.length > 0 && model.enabled.otelCollector && model.enabled.proxy
      ? [{ alerts: ["AgentHostDown"], severity: "critical", source: "silence", terms: hostSilenceTerms(config, times), intervalPath: globalScrape }]
      : [];
  return [...hosts, ...serviceAlerts(model, times, globalScrape)];
}

function serviceAlerts(model: ResolvedStack, times: TimingSeconds, globalScrape: Path | undefined): TimedAlerts[] {
  const { config } = model;
  const probed = new Set(model.enabled.blackbox ? model.probes.map((probe) => probe.service) : []);
  const certified = new Set(
    model.enabled.blackbox ? model.checks.flatMap(({ checks }) => checks.filter((check) => check.continuous && check.kind === "http" && check.expect.certificateDaysLeft !== null)).map((check) => check.service) : [],
  );
  return config.services.flatMap((service, i) => {
    const timing = model.timings.services[i]!;
    const terms = (severity: BudgetedSeverity, interval: string, holdFor: string) => latencyTerms(config, times, severity, interval, holdFor);
    const scrapePath = service.scrapeInterval ? ["services", i, "scrapeInterval"] : globalScrape;
    const metric = (severity: BudgetedSeverity, alerts: string[]): TimedAlerts => ({
      alerts,
      severity,
      source: "scrape",
      terms: terms(severity, timing.scrapeInterval, timing.for[severity]),
      intervalPath: scrapePath,
    });
    const synthetics = ["services", i, "synthetics"];
    return [
      ...(service.metricsPath !== false ? [metric("critical", ["ServiceDown", ...(service.slo ? ["SLOErrorBudgetFastBurn"] : [])])] : []),
      ...(service.metricsPath !== false && service.slo ? [metric("warning", ["SLOErrorBudgetSlowBurn"])] : []),
      ...(probed.has(service.name)
        ? [
            {
              alerts: ["HealthProbeFailing"],
              severity: "warning" as const,
              source: "probe" as const,
              terms: terms("warning", timing.probeInterval, timing.alertAfter),
              intervalPath: service.synthetics.interval ? [...synthetics, "interval"] : undefined,
              forPath: service.synthetics.alertAfter ? [...synthetics, "alertAfter"] : undefined,
            },
          ]
        : []),
      ...(certified.has(service.name)
        ? [
            {
              alerts: ["SyntheticCertificateExpiring"],
              severity: "warning" as const,
              source: "probe" as const,
              terms: terms("warning", timing.probeInterval, timing.certificateFor),
              intervalPath: service.synthetics.interval ? [...synthetics, "interval"] : undefined,
            },
          ]
        : []),
    ];
  });
}

function problems(model: ResolvedStack, times: TimingSeconds, timed: TimedAlerts): ConfigIssue[] {
  const { terms, severity } = timed;
  const minimum = minimumFor(terms.interval, terms.evaluation);
  if (timed.forPath && terms.for < minimum)
    return [
      {
        path: formatPath(timed.forPath),
        message: `${formatDuration(terms.for)} is shorter than two failed ${timed.source}s (${formatDuration(minimum)}: interval ${formatDuration(terms.interval)} + timeout ${formatDuration(terms.timeout)}, rounded up to the ${formatDuration(terms.evaluation)} evaluation interval), so a single failed ${timed.source} would fire ${timed.alerts.join(" and ")}`,
        hint: `set it to at least ${formatDuration(minimum)}, or leave it out to derive it from alerting.latencyBudget.${severity}`,
      },
    ];
  const worst = worstCaseSeconds(terms);
  const budget = times.budget[severity];
  if (worst <= budget) return [];
  const { path, what } = blamed(model, times, timed);
  const interval = timed.source === "silence" ? "silence window (two scrape intervals + 10s)" : `${timed.source} interval`;
  const hint = `worst case = ${interval} ${formatDuration(terms.interval)} + timeout ${formatDuration(terms.timeout)} + evaluation ${formatDuration(terms.evaluation)} + for ${formatDuration(terms.for)} + group_wait ${formatDuration(terms.groupWait)}`;
  if (what === undefined)
    return [
      {
        path: formatPath(path),
        message: `cannot be met: even with \`for\` ${timed.source === "silence" ? "at 0s" : `at its floor of two failed ${timed.source}s`}, a ${severity} alert (${timed.alerts.join(", ")}) can take up to ${formatDuration(worst)}`,
        hint: `${hint}; raise the budget to at least ${formatDuration(worst)}`,
      },
    ];
  return [
    {
      path: formatPath(path),
      message: `with ${what} a ${severity} ${timed.source === "probe" ? "probe " : ""}alert (${timed.alerts.join(", ")}) can take up to ${formatDuration(worst)}, over the ${formatDuration(budget)} budget (alerting.latencyBudget.${severity})`,
      hint: `${hint}; shorten it, or raise alerting.latencyBudget.${severity}`,
    },
  ];
}

/** The user's own setting that the excess is charged to: the alert's `for`, its interval, the group wait, the evaluation interval, else the budget. */
function blamed(model: ResolvedStack, times: TimingSeconds, timed: TimedAlerts): { path: Path; what?: string } {
  const { config } = model;
  const { severity } = timed;
  const severityWait = config.alerting.severities[severity].groupWait ? ["alerting", "severities", severity, "groupWait"] : undefined;
  const rootWait = config.alerting.groupWait && timed.terms.groupWait === times.routeGroupWait ? ["alerting", "groupWait"] : undefined;
  const evaluation = config.components.prometheus.evaluationInterval ? ["components", "prometheus", "evaluationInterval"] : undefined;
  const candidates: Array<[Path | undefined, string]> = [
    [timed.forPath, "this alertAfter"],
    [timed.intervalPath, "this interval"],
    [severityWait && timed.terms.groupWait === times.groupWait[severity] ? severityWait : undefined, "this group wait"],
    [rootWait, "this group wait (your routes and the category routes may take the alert)"],
    [evaluation, "this evaluation interval"],
  ];
  const found = candidates.find(([path]) => path !== undefined);
  return found ? { path: found[0]!, what: found[1] } : { path: ["alerting", "latencyBudget", severity] };
}
