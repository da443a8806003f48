/** Plain-text tables and the small formatting helpers the runtime commands share. */
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
