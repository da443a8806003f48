/**
 * Background traffic: the service calls its own routes over real HTTP on 127.0.0.1 so that
 * metrics, logs and traces fill up within a minute of starting, with nobody sending requests.
 */
import type { Logger } from "./log.ts";
import type { Rng } from "./random.ts";
import { RateLimitedReporter } from "./rate-limited.ts";
import { nextTrafficRequest } from "./traffic-mix.ts";

/** More than this many unanswered requests means the service is stuck: stop piling on. */
const MAX_IN_FLIGHT = 64;
const FAILURE_REPORT_INTERVAL_MS = 60_000;

export interface Traffic {
  rps: number;
  failures: RateLimitedReporter;
  stop(): void;
}

export function startTraffic(options: { port: number; rps: number; rng: Rng; logger: Logger }): Traffic {
  const failures = new RateLimitedReporter(FAILURE_REPORT_INTERVAL_MS, (message, suppressed) =>
    options.logger.warn(`background traffic request failed: ${message}`, { suppressed_since_last_report: suppressed }),
  );
  const abort = new AbortController();
  let inFlight = 0;

  async function send(): Promise<void> {
    const next = nextTrafficRequest(options.rng);
    const response = await fetch(`http://127.0.0.1:${options.port}${next.path}`, {
      method: next.method,
      headers: { "user-agent": "obs-stack-demo-traffic", ...(next.body ? { "content-type": "application/json" } : {}) },
      ...(next.body ? { body: next.body } : {}),
      signal: abort.signal,
    });
    // Reading the body returns the keep-alive connection to the pool.
    await response.arrayBuffer();
  }

  const timer = setInterval(() => {
    if (inFlight >= MAX_IN_FLIGHT) return;
    inFlight += 1;
    send()
      .catch((error: unknown) => {
        if (!abort.signal.aborted) failures.failure((error as Error).cause ? String((error as Error).cause) : String(error));
      })
      .finally(() => {
        inFlight -= 1;
      });
  }, 1000 / options.rps);

  return {
    rps: options.rps,
    failures,
    stop() {
      clearInterval(timer);
      abort.abort();
    },
  };
}
