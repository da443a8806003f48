/** Grafana Alloy (logs.collector: "alloy"): Promtail's pipeline in Alloy's own config language. */
import type { StackModel } from "../config/model.ts";
import { logPipeline } from "./promtail.ts";
import { renderTemplate } from "./templates.ts";

/** Mounted read-only into the container; discovery and tailing both talk to the Docker API through it. */
export const DOCKER_SOCKET = "/var/run/docker.sock";

export function renderAlloyConfig(model: StackModel): string {
  // Every value goes through `q` (JSON.stringify): a JSON string is also a valid Alloy string literal.
  return renderTemplate("provisioning/alloy/config.alloy", { ...logPipeline(model), dockerHost: `unix://${DOCKER_SOCKET}` });
}
