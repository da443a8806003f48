/** Plain-text tables and the small formatting helpers the runtime commands share. */
import type { ComponentName } from "./catalog/components.ts";
import type { StackConfig } from "./config/schema.ts";
import type { ContainerState } from "./runtime/docker.ts";

export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** "healthy"/"unhealthy"/"starting" when the container has a healthcheck, else its state. */
export function describeState(container: ContainerState): string {
  return container.health === "none" ? container.state : container.health;
}

/** The URL a person opens for a component, from the host. */
export function componentUrl(config: StackConfig, name: ComponentName): string {
  const component = config.components[name];
  const address = component.bindAddress ?? config.bindAddress;
  const host = address === "0.0.0.0" || address === "::" ? "localhost" : address.includes(":") ? `[${address}]` : address;
  return `http://${host}:${component.port}`;
}
