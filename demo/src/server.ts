/**
 * Entry point: reads the environment, wires tracing, metrics, logs and the app onto a node:http
 * server, starts the background traffic, and drains on SIGTERM/SIGINT within a few seconds.
 */
import { createServer, type Server } from "node:http";
import { once } from "node:events";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import packageJson from "../package.json" with { type: "json" };
import { createApp } from "./app.ts";
import { DemoConfigError, loadConfig } from "./config.ts";
import { failureCheck, type Phase } from "./lifecycle.ts";
import { createLogger, formatLogLine } from "./log.ts";
import { createMetrics } from "./metrics.ts";
import { createRng } from "./random.ts";
import { startTracing } from "./tracing.ts";
import { startTraffic, type Traffic } from "./traffic.ts";

/** Budget for in-flight requests when stopping (GET /broken/slow takes 3 s). */
const DRAIN_TIMEOUT_MS = 3_000;
/** Budget for flushing spans; with Docker's 10 s stop timeout the whole exit stays under 5 s. */
const FLUSH_TIMEOUT_MS = 1_500;

function closeServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
  });
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ service: config.serviceName, minLevel: config.logLevel, write: (line) => process.stdout.write(line) });
  const tracing = startTracing({ serviceName: config.serviceName, serviceVersion: packageJson.version, endpoint: config.tracesEndpoint, logger });
  const rng = createRng(Date.now() ^ process.pid);
  const startedAt = performance.now();
  let phase: Phase = "starting";
  let traffic: Traffic | undefined;

  const server = createServer(
    createApp({
      tracer: tracing.tracer,
      metrics: createMetrics(),
      logger,
      rng,
      sleep: (ms) => delay(ms),
      phase: () => phase,
      uptimeSeconds: () => (performance.now() - startedAt) / 1000,
      checks: () => {
        const now = new Date();
        return {
          traces_export: failureCheck(tracing.exportFailures, now, { endpoint: config.tracesEndpoint }),
          background_traffic: traffic ? failureCheck(traffic.failures, now, { rps: traffic.rps }) : { status: "disabled" },
        };
      },
    }),
  );
  server.listen(config.port);
  await once(server, "listening");
  phase = "ready";
  if (config.trafficRps > 0) traffic = startTraffic({ port: config.port, rps: config.trafficRps, rng, logger });
  logger.info(`demo ${packageJson.version} listening on :${config.port}`, {
    port: config.port,
    traffic_rps: config.trafficRps,
    traces_endpoint: config.tracesEndpoint,
  });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) process.exit(1);
    stopping = true;
    const stopStarted = performance.now();
    phase = "draining";
    logger.info(`received ${signal}, draining`, { signal });
    traffic?.stop();
    await closeServer(server, DRAIN_TIMEOUT_MS);
    await tracing.shutdown(FLUSH_TIMEOUT_MS);
    logger.info("stopped", { duration_ms: Math.round(performance.now() - stopStarted) });
    process.exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, (received) => void stop(received));
}

main().catch((error: unknown) => {
  const [message, hint] = error instanceof DemoConfigError ? [error.message, error.hint] : [(error as Error).stack ?? String(error), undefined];
  process.stdout.write(`${formatLogLine(new Date(), "error", process.env.OTEL_SERVICE_NAME || "demo", `demo failed to start: ${message}`, { hint })}\n`);
  process.exitCode = 1;
});
