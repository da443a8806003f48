/**
 * How containers hand their logs to the Collector (logs.collector "otelcol"): Docker's fluentd log
 * driver, pointed at the Collector's Fluent Forward port as the Docker daemon sees it (a host port).
 * Chosen over tailing the json-file logs because the Collector's filelog receiver cannot be built at
 * the pinned release here (docs/decisions.md); `docker logs` keeps working through the engine's
 * dual logging (Engine 20.10+).
 */
import { FLUENT_BIND_ADDRESS } from "../config/addresses.ts";
import { collectorShipsContainerLogs, type StackModel } from "../config/model.ts";
import { COMPOSE_LABELS } from "./otelcol-logs.ts";
import { LOG_LABELS } from "./promtail.ts";

export interface LoggingSpec {
  driver: string;
  options: Array<{ name: string; value: string }>;
}

/** Labels the driver copies into each record: what the Collector derives service, category and container from. */
const FORWARDED_LABELS = [LOG_LABELS.service, LOG_LABELS.category, COMPOSE_LABELS.service, COMPOSE_LABELS.project];

/** The logging section for containers whose logs the Collector ships, or null when it ships none. */
export function fluentdLogging(model: StackModel): LoggingSpec | null {
  if (!collectorShipsContainerLogs(model)) return null;
  const { fluentPort } = model.config.components.otelCollector;
  return {
    driver: "fluentd",
    options: [
      { name: "fluentd-address", value: `tcp://${FLUENT_BIND_ADDRESS}:${fluentPort}` },
      // Async: a container starts (and keeps running) while the Collector is down or restarting; the
      // engine buffers its lines in memory (fluentd-buffer-limit records) and retries.
      { name: "fluentd-async", value: "true" },
      { name: "fluentd-sub-second-precision", value: "true" },
      { name: "labels", value: FORWARDED_LABELS.join(",") },
      { name: "tag", value: "{{.Name}}" },
    ],
  };
}
