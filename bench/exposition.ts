/**
 * Reading components' own counters straight from their metrics endpoints (Prometheus text format),
 * and the host's CPU time from /proc/stat: the headroom steps read both every second, which a
 * Prometheus query (one scrape every 15 s) cannot.
 */

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * The sum of a metric's samples whose labels include `labels`, or undefined when no sample matched.
 * A counter is matched with or without the `_total` suffix: the Collector's and Jaeger's exporters
 * differ on it (see rules/otelcol.yml).
 */
export function sumSamples(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let sum: number | undefined;
  for (const line of text.split("\n")) {
    const match = SAMPLE.exec(line);
    if (!match || (match[1] !== name && match[1] !== `${name}_total`)) continue;
    const found = Object.fromEntries([...(match[2] ?? "").matchAll(LABEL)].map(([, key, value]) => [key, value!.replace(/\\(.)/g, "$1")]));
    if (Object.entries(labels).some(([key, value]) => found[key] !== value)) continue;
    sum = (sum ?? 0) + Number(match[3]);
  }
  return sum;
}

export async function scrape(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return response.text();
}

/** The host's CPU time so far, in clock ticks: all of it, and the part spent idle or waiting for I/O. */
export interface CpuTimes {
  total: number;
  idle: number;
}

/** From /proc/stat's first line: `cpu user nice system idle iowait irq softirq steal …`. */
export function parseProcStat(text: string): CpuTimes {
  const fields = /^cpu\s+(.*)$/m.exec(text)?.[1]?.trim().split(/\s+/).map(Number);
  if (!fields || fields.length < 5 || fields.some(Number.isNaN)) throw new Error("/proc/stat has no aggregate cpu line");
  // guest and guest_nice (fields 9 and 10) are already counted in user and nice.
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return { total, idle: fields[3]! + fields[4]! };
}

/** The fraction of all the host's cores busy between two readings. */
export function busyBetween(first: CpuTimes, last: CpuTimes): number {
  const total = last.total - first.total;
  return total <= 0 ? 0 : 1 - (last.idle - first.idle) / total;
}
