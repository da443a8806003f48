/**
 * Alertmanager's routing as data, decided from the config: the smoke and heartbeat routes, the
 * user's routes, category routes and the per-severity defaults; inhibition; business hours. It also
 * resolves a label set the way Alertmanager does, which gives `amtool config routes test` the
 * receivers each sample alert must reach in the rendered file.
 */
import type { StackModel } from "../config/model.ts";
import { alertTimings, type AlertTimings } from "../resolve/alert-latency.ts";
import { BLACKHOLE_RECEIVER, SMOKE_RECEIVER } from "../config/receiver-names.ts";
import { BUSINESS_HOURS, SEVERITIES, type AlertingConfig, type ReceiverConfig, type RECEIVER_GROUPS } from "../config/schema.ts";
import { matches } from "../config/sli-matcher.ts";
import { parseMatcher } from "../syntax/label-matcher.ts";

export const SMOKE_LABEL = "obs_stack_smoke";
/** The always-firing alert of rules/stack.yml. */
const HEARTBEAT_ALERT = "Watchdog";
/** The per-service scrape alert of service-rules.ts. */
const SERVICE_DOWN_ALERT = "ServiceDown";
/** rules/volumes.yml: the same volume under 2% free, and under 10%. */
const VOLUME_FULL_ALERT = "VolumeFull";
const VOLUME_LOW_ALERT = "VolumeSpaceLow";

export type ReceiverGroup = (typeof RECEIVER_GROUPS)[number];

export interface Route {
  /** Why the route exists; rendered as a comment above it. */
  why: string;
  receiver: string;
  matchers: string[];
  continue: boolean;
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  activeTimeIntervals: string[];
  muteTimeIntervals: string[];
}

export interface RoutingTree {
  receiver: string;
  groupBy: string[];
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
  routes: Route[];
}

export interface InhibitRule {
  why: string;
  sourceMatchers: string[];
  targetMatchers: string[];
  equal: string[];
}

/** Alertmanager unescapes `\"` and `\\` as JSON writes them; the schema keeps out what JSON would write as `\u` escapes. */
const quoted = (label: string, value: string) => `${label}=${JSON.stringify(value)}`;

/** Explicit lists win; otherwise the integrations decide who pages and who chats. */
export function receiverGroups(alerting: AlertingConfig): Record<ReceiverGroup, string[]> {
  const pages = (receiver: ReceiverConfig) => Boolean(receiver.pagerduty || receiver.opsgenie);
  const chats = (receiver: ReceiverConfig) => !pages(receiver) && Boolean(receiver.slack || receiver.email || receiver.webhook);
  return {
    paging: alerting.paging ?? alerting.receivers.filter(pages).map((receiver) => receiver.name),
    chat: alerting.chat ?? alerting.receivers.filter(chats).map((receiver) => receiver.name),
  };
}

/** A stack with only a chat receiver still hears about critical alerts: paging falls back to chat. */
function receiversFor(notify: readonly ReceiverGroup[], groups: Record<ReceiverGroup, string[]>): string[] {
  const wanted = notify.flatMap((group) => (group === "paging" && groups.paging.length === 0 ? groups.chat : groups[group]));
  return [...new Set(wanted)];
}

type RouteOptions = Omit<Route, "receiver" | "continue" | "why">;

/** One route per receiver (an Alertmanager route has one); all but the last continue. */
function fanOut(why: string, receivers: readonly string[], options: RouteOptions, lastContinues: boolean): Route[] {
  return receivers.map((receiver, i) => ({
    why: `${why}: ${receiver}`,
    receiver,
    continue: i < receivers.length - 1 || lastContinues,
    ...options,
  }));
}

const anyTime = { activeTimeIntervals: [], muteTimeIntervals: [] };

function userRoutes(alerting: AlertingConfig): Route[] {
  return alerting.routes.map((route, i) => ({
    why: `alerting.routes[${i}]`,
    receiver: route.receiver,
    matchers: [
      ...(route.severity ? [quoted("severity", route.severity)] : []),
      ...(route.category ? [quoted("category", route.category)] : []),
      ...route.matchers,
    ],
    continue: route.continue,
    ...(route.repeatInterval ? { repeatInterval: route.repeatInterval } : {}),
    activeTimeIntervals: route.activeTimeIntervals,
    muteTimeIntervals: route.muteTimeIntervals,
  }));
}

export function routingTree(model: StackModel, timings: AlertTimings): RoutingTree {
  const { alerting } = model.config;
  const groups = receiverGroups(alerting);
  const routes: Route[] = [
    {
      why: "`npm run smoke` proves routing and delivery with an alert only its own sink receives.",
      receiver: SMOKE_RECEIVER,
      matchers: [quoted(SMOKE_LABEL, "true")],
      continue: false,
      groupBy: ["..."],
      groupWait: "0s",
      ...anyTime,
    },
    {
      why: alerting.heartbeat.receiver
        ? "The always-firing Watchdog feeds the dead man's switch; it never reaches people."
        : "The always-firing Watchdog proves the alert pipeline works; it never reaches people.",
      receiver: alerting.heartbeat.receiver ?? BLACKHOLE_RECEIVER,
      matchers: [quoted("alertname", HEARTBEAT_ALERT)],
      continue: false,
      groupWait: "0s",
      groupInterval: alerting.heartbeat.repeatInterval,
      repeatInterval: alerting.heartbeat.repeatInterval,
      ...anyTime,
    },
    ...userRoutes(alerting),
    ...Object.entries(alerting.categories).flatMap(([category, owner]) =>
      fanOut(`category ${category}`, owner.receivers, { matchers: [quoted("category", category)], ...anyTime }, owner.continue),
    ),
    ...SEVERITIES.flatMap((severity) => {
      const policy = alerting.severities[severity];
      const receivers = receiversFor(policy.notify, groups);
      const options: RouteOptions = {
        matchers: [quoted("severity", severity)],
        groupWait: timings.groupWait[severity],
        groupInterval: policy.groupInterval,
        repeatInterval: policy.repeatInterval,
        activeTimeIntervals: policy.businessHoursOnly ? [BUSINESS_HOURS] : [],
        muteTimeIntervals: [],
      };
      if (receivers.length === 0)
        return [{ why: `${severity} → nobody (alerting.severities.${severity}.notify)`, receiver: BLACKHOLE_RECEIVER, continue: false, ...options }];
      const fallback = policy.notify.includes("paging") && groups.paging.length === 0 ? " (nothing pages, so chat)" : "";
      const hours = policy.businessHoursOnly ? ` during ${BUSINESS_HOURS}` : "";
      return fanOut(`${severity} → ${policy.notify.join(" + ")}${fallback}${hours}`, receivers, options, false);
    }),
  ];
  return {
    receiver: alerting.defaultReceiver ?? BLACKHOLE_RECEIVER,
    groupBy: alerting.groupBy,
    groupWait: timings.routeGroupWait,
    groupInterval: alerting.groupInterval,
    repeatInterval: alerting.repeatInterval,
    routes,
  };
}

export function inhibitRules(alerting: AlertingConfig): InhibitRule[] {
  return [
    // Not one of the switchable rules: a full volume is a low one too, so the warning only repeats
    // the page (the critical-mutes-warning rule needs the same alert name).
    {
      why: `${VOLUME_FULL_ALERT} mutes ${VOLUME_LOW_ALERT} of the same volume and service: one full volume, one notification.`,
      sourceMatchers: [quoted("alertname", VOLUME_FULL_ALERT)],
      targetMatchers: [quoted("alertname", VOLUME_LOW_ALERT)],
      equal: ["volume", "service"],
    },
    ...(alerting.inhibitWarningWhenCritical
      ? [
          {
            why: "A critical alert mutes the warning of the same alert and service.",
            sourceMatchers: [quoted("severity", "critical")],
            targetMatchers: [quoted("severity", "warning")],
            equal: ["alertname", "service"],
          },
        ]
      : []),
    ...(alerting.inhibitServiceAlertsWhenDown
      ? [
          {
            why: `${SERVICE_DOWN_ALERT} mutes the other alerts of that service: they are symptoms of the same outage.`,
            sourceMatchers: [quoted("alertname", SERVICE_DOWN_ALERT)],
            targetMatchers: [`alertname!=${JSON.stringify(SERVICE_DOWN_ALERT)}`],
            equal: ["service"],
          },
        ]
      : []),
  ];
}

export type Labels = Readonly<Record<string, string>>;

/** Whether the route matches the labels; undefined when one of its regexes is beyond JavaScript (see re2AsJsRegExp). */
function routeMatches(route: Route, labels: Labels): boolean | undefined {
  let result: boolean | undefined = true;
  for (const text of route.matchers) {
    const matcher = parseMatcher(text);
    const found = matches(matcher, labels[matcher.label] ?? "");
    if (found === false) return false;
    if (found === undefined) result = undefined;
  }
  return result;
}

/**
 * The receivers Alertmanager notifies for a label set: every matching route up to the first that
 * does not continue, or the root's receiver when none matches. Time intervals do not change routing.
 * Undefined when a route on the way has a regex JavaScript cannot evaluate.
 */
export function resolveReceivers(tree: RoutingTree, labels: Labels): string[] | undefined {
  const receivers: string[] = [];
  for (const route of tree.routes) {
    const matched = routeMatches(route, labels);
    if (matched === undefined) return undefined;
    if (!matched) continue;
    receivers.push(route.receiver);
    if (!route.continue) break;
  }
  return receivers.length ? receivers : [tree.receiver];
}

export interface RouteCase {
  name: string;
  labels: Labels;
  receivers: string[];
}

const TEST_ALERT = "ObsStackRouteTest";
const FILLER_VALUES = ["obs-stack-route-test", "x", "1"];

/** A value the matcher accepts, preferring an absent label; undefined when none is found. */
function sampleValue(matcher: ReturnType<typeof parseMatcher>): string | undefined {
  const alternatives = matcher.value.replace(/^\^?\(?|\)?\$?$/g, "").split("|");
  const candidates = matcher.op === "=" ? [matcher.value] : ["", ...(matcher.op === "=~" ? alternatives : []), ...FILLER_VALUES];
  return candidates.find((value) => matches(matcher, value) === true);
}

/** An alert the route matches, or undefined when its matchers are too clever for a sample. */
function sampleFor(route: Route): Labels | undefined {
  const labels: Record<string, string> = { alertname: TEST_ALERT };
  for (const text of route.matchers) {
    const matcher = parseMatcher(text);
    const current = labels[matcher.label];
    if (current !== undefined && matches(matcher, current) === true) continue;
    const value = sampleValue(matcher);
    if (value === undefined) return undefined;
    if (value === "") delete labels[matcher.label];
    else labels[matcher.label] = value;
  }
  return routeMatches(route, labels) === true ? labels : undefined;
}

/** Sample alerts covering every branch of the tree, each with the receivers it must reach. */
export function routeTestCases(model: StackModel): RouteCase[] {
  // Group timing does not change who receives an alert; validate hands over the model without it.
  const tree = routingTree(model, alertTimings(model.config));
  const { alerting } = model.config;
  const samples: Array<{ name: string; labels: Labels | undefined }> = [
    { name: "smoke test alert", labels: { alertname: "ObsStackSmokeTest", [SMOKE_LABEL]: "true", severity: "critical" } },
    { name: "Watchdog heartbeat", labels: { alertname: HEARTBEAT_ALERT, severity: "none", category: "heartbeat" } },
    ...userRoutes(alerting).map((route) => ({ name: route.why, labels: sampleFor(route) })),
    ...Object.keys(alerting.categories).map((category) => ({
      name: `category ${category}`,
      labels: { alertname: TEST_ALERT, severity: "critical", category },
    })),
    ...SEVERITIES.map((severity) => ({ name: `severity ${severity}`, labels: { alertname: TEST_ALERT, severity } })),
    { name: "alert without severity", labels: { alertname: TEST_ALERT } },
  ];
  return samples.flatMap(({ name, labels }) => {
    const receivers = labels && resolveReceivers(tree, labels);
    return labels && receivers ? [{ name, labels, receivers }] : [];
  });
}
