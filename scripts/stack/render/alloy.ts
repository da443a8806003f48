/** Grafana Alloy (logs.collector: "alloy"): Promtail's pipeline in Alloy's own config language. */
import { DOCKER_SOCKET } from "../catalog/component-definition.ts";
import type { StackModel } from "../config/model.ts";
import { logPipeline } from "./promtail.ts";
import { renderTemplate } from "./templates.ts";

export function renderAlloyConfig(model: StackModel): string {
  // Discovery and tailing both talk to the Docker API through the mounted socket.
  // Every value goes through the `alloy` helper: a JSON string is also a valid Alloy string literal.
  return renderTemplate("provisioning/alloy/config.alloy", { ...logPipeline(model), dockerHost: `unix://${DOCKER_SOCKET}` });
}
