/** Cross-field rules of alerting: references to receivers and time intervals, and times Alertmanager would reject (time zones are the schema's). */
import type { ConfigIssue } from "../errors.ts";
import { BLACKHOLE_RECEIVER, SMOKE_RECEIVER } from "./receiver-names.ts";
import { WEEKDAY_NAMES, businessHoursIntervals, weekdayIndices } from "./time-intervals.ts";
import type { StackModel } from "./model.ts";
import { BUSINESS_HOURS, OUT_OF_HOURS, type AlertingConfig } from "./schema.ts";
import { formatPath } from "./zod-issues.ts";

type Path = PropertyKey[];

export function alertingProblems(model: StackModel): ConfigIssue[] {
  const { alerting } = model.config;
  return [...reservedReceivers(alerting), ...receiverReferences(alerting), ...intervalReferences(alerting), ...intervalProblems(alerting)];
}

/** The stack defines these receivers itself; a second one of the same name breaks alertmanager.yml. */
function reservedReceivers(alerting: AlertingConfig): ConfigIssue[] {
  const reserved = [BLACKHOLE_RECEIVER, SMOKE_RECEIVER];
  return alerting.receivers.flatMap((receiver, i) =>
    reserved.includes(receiver.name)
      ? [
          {
            path: formatPath(["alerting", "receivers", i, "name"]),
            message: `"${receiver.name}" is a receiver the stack defines itself`,
            hint: "give your receiver another name",
          },
        ]
      : [],
  );
}

function receiverReferences(alerting: AlertingConfig): ConfigIssue[] {
  const defined = alerting.receivers.map((receiver) => receiver.name);
  const references: Array<[Path, string | undefined]> = [
    [["alerting", "defaultReceiver"], alerting.defaultReceiver],
    ...alerting.routes.map((route, i): [Path, string] => [["alerting", "routes", i, "receiver"], route.receiver]),
    ...(["paging", "chat"] as const).flatMap((group) =>
      (alerting[group] ?? []).map((name, i): [Path, string] => [["alerting", group, i], name]),
    ),
    ...Object.entries(alerting.categories).flatMap(([category, owner]) =>
      owner.receivers.map((name, i): [Path, string] => [["alerting", "categories", category, "receivers", i], name]),
    ),
    [["alerting", "heartbeat", "receiver"], alerting.heartbeat.receiver],
  ];
  return references
    .filter((reference): reference is [Path, string] => reference[1] !== undefined && !defined.includes(reference[1]))
    .map(([path, name]) => ({
      path: formatPath(path),
      message: `receiver "${name}" is not defined`,
      hint: defined.length ? `defined receivers: ${defined.join(", ")}` : "add it to alerting.receivers",
    }));
}

function intervalReferences(alerting: AlertingConfig): ConfigIssue[] {
  const reserved = [BUSINESS_HOURS, OUT_OF_HOURS];
  const defined = new Set([...reserved, ...alerting.timeIntervals.map((interval) => interval.name)]);
  const issues: ConfigIssue[] = [];
  alerting.timeIntervals.forEach((interval, i) => {
    if (reserved.includes(interval.name))
      issues.push({
        path: formatPath(["alerting", "timeIntervals", i, "name"]),
        message: `"${interval.name}" is defined by alerting.businessHours`,
        hint: `set alerting.businessHours instead, or give this interval another name`,
      });
  });
  alerting.routes.forEach((route, i) => {
    for (const field of ["activeTimeIntervals", "muteTimeIntervals"] as const)
      route[field].forEach((name, j) => {
        if (!defined.has(name))
          issues.push({
            path: formatPath(["alerting", "routes", i, field, j]),
            message: `time interval "${name}" is not defined`,
            hint: `add it to alerting.timeIntervals, or use "${BUSINESS_HOURS}" or "${OUT_OF_HOURS}"`,
          });
      });
  });
  return issues;
}

interface Schedule {
  path: Path;
  weekdays: readonly string[];
  /** Each time range with the path of its end, where a backwards range is reported. */
  times: ReadonlyArray<{ start: string; end: string; endPath: Path }>;
}

function intervalProblems(alerting: AlertingConfig): ConfigIssue[] {
  const hours = alerting.businessHours;
  const schedules: Schedule[] = [
    {
      path: ["alerting", "businessHours"],
      weekdays: hours.weekdays,
      times: [{ ...hours, endPath: ["alerting", "businessHours", "end"] }],
    },
    ...alerting.timeIntervals.map((interval, i) => ({
      path: ["alerting", "timeIntervals", i],
      weekdays: interval.weekdays,
      times: interval.times.map((range, j) => ({ ...range, endPath: ["alerting", "timeIntervals", i, "times", j, "end"] })),
    })),
  ];
  const issues = schedules.flatMap(scheduleProblems);
  const outOfHours = businessHoursIntervals(hours).find((interval) => interval.name === OUT_OF_HOURS);
  if (issues.length === 0 && outOfHours?.entries.length === 0)
    issues.push({
      path: "alerting.businessHours",
      message: "covers the whole week, so there are no out-of-hours",
      hint: "shorten the working days or hours",
    });
  return issues;
}

function scheduleProblems({ path, weekdays, times }: Schedule): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  weekdays.forEach((range, i) => {
    if (!weekdayIndices([range]))
      issues.push({
        path: formatPath([...path, "weekdays", i]),
        message: `"${range}" runs backwards: Alertmanager's weeks run from ${WEEKDAY_NAMES[0]} to ${WEEKDAY_NAMES[6]}`,
        hint: `split it, e.g. "saturday:sunday" becomes "saturday" and "sunday"`,
      });
  });
  for (const range of times) {
    if (range.start >= range.end)
      issues.push({
        path: formatPath(range.endPath),
        message: `ends at ${range.end}, not after its start ${range.start}`,
        hint: 'a range cannot cross midnight: split it into one ending at "24:00" and one starting at "00:00"',
      });
  }
  return issues;
}
