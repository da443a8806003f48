/**
 * Alertmanager time intervals derived from the config: the business-hours pair and the user's own.
 * Config rules check weekday ranges with the same parser the renderer uses.
 */
import { BUSINESS_HOURS, OUT_OF_HOURS, type AlertingConfig } from "./schema.ts";

export interface TimeRange {
  start: string;
  end: string;
}

export interface TimeIntervalEntry {
  weekdays: string[];
  times: TimeRange[];
  location: string;
}

export interface NamedTimeInterval {
  name: string;
  /** Alertmanager's `time_intervals`: the interval is active when any entry is. */
  entries: TimeIntervalEntry[];
}

/** Alertmanager's weeks start on Sunday; ranges must not wrap around it. */
export const WEEKDAY_NAMES = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;

/** Day indices (0 = Sunday) of "monday:friday"-style ranges, or undefined for a range that wraps. */
export function weekdayIndices(ranges: readonly string[]): Set<number> | undefined {
  const days = new Set<number>();
  for (const range of ranges) {
    const [first, last = first] = range.split(":").map((day) => WEEKDAY_NAMES.indexOf(day as (typeof WEEKDAY_NAMES)[number]));
    if (first === undefined || last === undefined || last < first) return undefined;
    for (let day = first; day <= last; day++) days.add(day);
  }
  return days;
}

/** Contiguous runs of day indices as Alertmanager weekday ranges. */
function weekdayRanges(days: ReadonlySet<number>): string[] {
  const ranges: string[] = [];
  for (let day = 0; day < WEEKDAY_NAMES.length; day++) {
    if (!days.has(day) || days.has(day - 1)) continue;
    let last = day;
    while (days.has(last + 1)) last++;
    ranges.push(last === day ? WEEKDAY_NAMES[day]! : `${WEEKDAY_NAMES[day]}:${WEEKDAY_NAMES[last]}`);
  }
  return ranges;
}

/** The working week and its exact complement, so a route can follow or avoid either. */
export function businessHoursIntervals(hours: AlertingConfig["businessHours"]): NamedTimeInterval[] {
  const workdays = weekdayIndices(hours.weekdays) ?? new Set<number>();
  const otherDays = new Set(WEEKDAY_NAMES.map((_, day) => day).filter((day) => !workdays.has(day)));
  const offTimes = [
    ...(hours.start > "00:00" ? [{ start: "00:00", end: hours.start }] : []),
    ...(hours.end < "24:00" ? [{ start: hours.end, end: "24:00" }] : []),
  ];
  const location = hours.location;
  return [
    { name: BUSINESS_HOURS, entries: [{ weekdays: hours.weekdays, times: [{ start: hours.start, end: hours.end }], location }] },
    {
      name: OUT_OF_HOURS,
      entries: [
        ...(offTimes.length ? [{ weekdays: hours.weekdays, times: offTimes, location }] : []),
        ...(otherDays.size ? [{ weekdays: weekdayRanges(otherDays), times: [], location }] : []),
      ],
    },
  ];
}

export function timeIntervals(alerting: AlertingConfig): NamedTimeInterval[] {
  return [
    ...businessHoursIntervals(alerting.businessHours),
    ...alerting.timeIntervals.map((interval) => ({
      name: interval.name,
      entries: [{ weekdays: interval.weekdays, times: interval.times, location: interval.location }],
    })),
  ];
}
