/** Blackbox exporter modules used by the probe jobs in prometheus.yml. */
import { PROBE_MODULES } from "./probes.ts";
import { renderTemplate } from "./templates.ts";

export function renderBlackboxConfig(): string {
  return renderTemplate("provisioning/blackbox/blackbox.yml", { modules: PROBE_MODULES });
}
