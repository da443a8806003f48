/**
 * The alert latency budget (alerting.latencyBudget): per severity, the longest time from the moment
 * a condition becomes true (a service dies, a probe starts failing, an error budget starts burning)
 * to Alertmanager sending the first notification of the alert's group. At worst that is
 *
 *   interval + timeout + evaluation + for + group_wait
 *
 * - interval: the scrape interval of the job the rule reads (the probe interval for blackbox
 *   alerts). The condition may become true just after a scrape started; the next scrape sees it.
 * - timeout: a scrape's sample is appended when the scrape ends. A target that hangs fails only when
 *   the scrape times out, and a probe of a hanging target only when its timeout ends (blackbox stops
 *   before the scrape timeout), so `up == 0` and `probe_success == 0` become visible that late. No
 *   scrape_timeout is rendered, so Prometheus uses its default, 10s, or the interval if shorter.
 *   A refused connection fails at once; the budget holds for the slower case.
 * - evaluation: the sample may land just after a rule evaluation; the next one turns the alert pending.
 * - for: the alert fires at the first evaluation `for` after it turned pending; Prometheus sends it
 *   to Alertmanager right after that evaluation.
 * - group_wait: Alertmanager holds a new group this long before its first notification. An alert
 *   joining a group already notified waits for group_interval instead: the budget is for the first
 *   notification of an outage, inside the route's active time (businessHoursOnly and
 *   activeTimeIntervals hold notifications back on purpose).
 *
 * Settings left unset are derived to meet the budget; those set explicitly are kept, and
 * latency-budget-rules.ts refuses a config whose settings cannot meet it.
 */
import type { Severity, StackConfig } from "../config/schema.ts";
import { durationToSeconds, formatDuration } from "../syntax/durations.ts";

export const BUDGETED_SEVERITIES = ["critical", "warning"] as const;
export type BudgetedSeverity = (typeof BUDGETED_SEVERITIES)[number];

/** Prometheus's scrape_timeout when none is set: 10s, or the job's interval when that is shorter. */
export const scrapeTimeoutSeconds = (intervalSeconds: number) => Math.min(10, intervalSeconds);

/** Used while the budget allows them: the usual Prometheus, blackbox and Alertmanager settings. */
const PREFERRED = { scrape: 15, evaluation: 15, probe: 30, groupWait: { critical: 10, warning: 30, info: 30 } } as const;
/**
 * Shares of the tightest budget the derived settings take at most, so that the rest leaves room for
 * a `for` of at least two scrapes: e.g. a 60s budget gets 10s scrapes and evaluations.
 */
const SCRAPE_SHARE = 1 / 6;
const PROBE_SHARE = 1 / 10;
const GROUP_WAIT_SHARE = 1 / 9;

export interface LatencyTerms {
  interval: number;
  timeout: number;
  evaluation: number;
  for: number;
  groupWait: number;
}

export const worstCaseSeconds = (terms: LatencyTerms) => terms.interval + terms.timeout + terms.evaluation + terms.for + terms.groupWait;

/** The derived and explicit settings, as Prometheus and Alertmanager are given them. */
export interface AlertTimings {
  scrapeInterval: string;
  evaluationInterval: string;
  /** group_wait of the default severity routes. */
  groupWait: Record<Severity, string>;
  /** group_wait of the root: your routes, the category routes and unmatched alerts. */
  routeGroupWait: string;
  /** One per config.services entry, in order. */
  services: ServiceTimings[];
  /** AgentHostDown (critical): how long a host may send nothing, and its `for`. */
  hostSilence: { window: string; for: string };
}

export interface ServiceTimings {
  scrapeInterval: string;
  /** `for` of the alerts on the service's own metrics: ServiceDown and SLO fast burn (critical), SLO slow burn (warning). */
  for: Record<BudgetedSeverity, string>;
  probeInterval: string;
  /** `for` of HealthProbeFailing. */
  alertAfter: string;
  /** `for` of SyntheticCertificateExpiring (warning, read from the probes). */
  certificateFor: string;
}

/** The figures in seconds, for the renderers' tests and the budget rules. */
export interface TimingSeconds {
  budget: Record<BudgetedSeverity, number>;
  scrape: number;
  evaluation: number;
  groupWait: Record<Severity, number>;
  routeGroupWait: number;
}

const seconds = (value: string | undefined) => (value === undefined ? undefined : durationToSeconds(value));

export function timingSeconds(config: StackConfig): TimingSeconds {
  const { alerting, components } = config;
  const budget = { critical: durationToSeconds(alerting.latencyBudget.critical), warning: durationToSeconds(alerting.latencyBudget.warning) };
  const share = (total: number, part: number, preferred: number) => Math.min(preferred, Math.max(1, Math.floor(total * part)));
  const tightest = Math.min(budget.critical, budget.warning);
  const groupWait = {
    critical: seconds(alerting.severities.critical.groupWait) ?? share(budget.critical, GROUP_WAIT_SHARE, PREFERRED.groupWait.critical),
    warning: seconds(alerting.severities.warning.groupWait) ?? share(budget.warning, GROUP_WAIT_SHARE, PREFERRED.groupWait.warning),
    info: seconds(alerting.severities.info.groupWait) ?? PREFERRED.groupWait.info,
  };
  return {
    budget,
    scrape: seconds(components.prometheus.scrapeInterval) ?? share(tightest, SCRAPE_SHARE, PREFERRED.scrape),
    evaluation: seconds(components.prometheus.evaluationInterval) ?? share(tightest, SCRAPE_SHARE, PREFERRED.evaluation),
    groupWait,
    // Your routes and the category routes may carry alerts of any severity.
    routeGroupWait: seconds(alerting.groupWait) ?? Math.min(groupWait.critical, groupWait.warning),
  };
}

/**
 * The group_wait an alert of this severity can meet: its severity route's, or the root's when one
 * of your routes or a category route may take it first.
 */
export function effectiveGroupWait(config: StackConfig, times: TimingSeconds, severity: BudgetedSeverity): number {
  const { routes, categories } = config.alerting;
  const rerouted = Object.keys(categories).length > 0 || routes.some((route) => route.severity === undefined || route.severity === severity);
  return Math.max(times.groupWait[severity], rerouted ? times.routeGroupWait : 0);
}

/** The terms of an alert of this severity on a target scraped (or probed) every `interval`, held for `holdFor`. */
export function latencyTerms(config: StackConfig, times: TimingSeconds, severity: BudgetedSeverity, interval: string, holdFor: string): LatencyTerms {
  return {
    interval: durationToSeconds(interval),
    timeout: scrapeTimeoutSeconds(durationToSeconds(interval)),
    evaluation: times.evaluation,
    for: durationToSeconds(holdFor),
    groupWait: effectiveGroupWait(config, times, severity),
  };
}

/**
 * The shortest `for` that needs two failed scrapes: one failed sample is what evaluations see until
 * the next scrape ends, less than interval + timeout later, so a shorter blip never lasts `for`.
 */
export function minimumFor(intervalSeconds: number, evaluationSeconds: number): number {
  return Math.ceil((intervalSeconds + scrapeTimeoutSeconds(intervalSeconds)) / evaluationSeconds) * evaluationSeconds;
}

/** The longest `for` within the budget (fewest false alarms), never under minimumFor: then the budget cannot be met, and the rules say so. */
export function derivedFor(config: StackConfig, times: TimingSeconds, severity: BudgetedSeverity, intervalSeconds: number): number {
  const rest = intervalSeconds + scrapeTimeoutSeconds(intervalSeconds) + times.evaluation + effectiveGroupWait(config, times, severity);
  const longest = Math.floor((times.budget[severity] - rest) / times.evaluation) * times.evaluation;
  return Math.max(minimumFor(intervalSeconds, times.evaluation), longest);
}

/** Probe alerts are warnings, so the probe interval follows the warning budget. */
export function probeIntervalSeconds(times: TimingSeconds, service: StackConfig["services"][number]): number {
  return seconds(service.synthetics.interval) ?? Math.min(PREFERRED.probe, Math.max(1, Math.floor(times.budget.warning * PROBE_SHARE)));
}

/**
 * An agent scrapes its host every scrape interval and ships each scrape within a few seconds (its
 * batch timeout and one request). A host is silent when no `up` sample arrived for two intervals
 * and this slack: one lost or late scrape fires nothing. Its clock must be in sync (NTP): samples
 * carry the agent's timestamps.
 */
const AGENT_DELIVERY_SLACK = 10;

/** The silence window of AgentHostDown stands for the interval term; the `for` takes what the critical budget leaves. */
export function hostSilenceTerms(config: StackConfig, times: TimingSeconds): LatencyTerms {
  const window = 2 * times.scrape + AGENT_DELIVERY_SLACK;
  const groupWait = effectiveGroupWait(config, times, "critical");
  const holdFor = Math.max(0, Math.floor((times.budget.critical - window - times.evaluation - groupWait) / times.evaluation) * times.evaluation);
  return { interval: window, timeout: 0, evaluation: times.evaluation, for: holdFor, groupWait };
}

export function alertTimings(config: StackConfig): AlertTimings {
  const times = timingSeconds(config);
  const { alerting, components } = config;
  // What the user wrote is rendered as written; only derived values are formatted.
  const groupWait = (severity: Severity) => alerting.severities[severity].groupWait ?? formatDuration(times.groupWait[severity]);
  const scrapeInterval = components.prometheus.scrapeInterval ?? formatDuration(times.scrape);
  const hostSilence = hostSilenceTerms(config, times);
  return {
    hostSilence: { window: formatDuration(hostSilence.interval), for: formatDuration(hostSilence.for) },
    scrapeInterval,
    evaluationInterval: components.prometheus.evaluationInterval ?? formatDuration(times.evaluation),
    groupWait: { critical: groupWait("critical"), warning: groupWait("warning"), info: groupWait("info") },
    routeGroupWait: alerting.groupWait ?? formatDuration(times.routeGroupWait),
    services: config.services.map((service) => {
      const scrape = seconds(service.scrapeInterval) ?? times.scrape;
      const probe = probeIntervalSeconds(times, service);
      const metricFor = (severity: BudgetedSeverity) => formatDuration(derivedFor(config, times, severity, scrape));
      const probeFor = formatDuration(derivedFor(config, times, "warning", probe));
      return {
        scrapeInterval: service.scrapeInterval ?? scrapeInterval,
        for: { critical: metricFor("critical"), warning: metricFor("warning") },
        probeInterval: service.synthetics.interval ?? formatDuration(probe),
        alertAfter: service.synthetics.alertAfter ?? probeFor,
        certificateFor: probeFor,
      };
    }),
  };
}
