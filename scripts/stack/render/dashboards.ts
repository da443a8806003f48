/** Provisioned dashboards: the JSON sources in dashboards/, shipped when the components they chart run. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ComponentName } from "../catalog/components.ts";
import type { StackModel } from "../config/model.ts";
import { REPO_ROOT } from "./templates.ts";

interface DashboardSource {
  file: string;
  requires: ComponentName[];
}

export const DASHBOARD_SOURCES: readonly DashboardSource[] = [{ file: "stack-health.json", requires: ["prometheus"] }];

export function dashboardFiles(model: StackModel): Array<[string, string]> {
  return DASHBOARD_SOURCES.filter((source) => source.requires.every((name) => model.enabled[name])).map((source) => [
    source.file,
    readFileSync(join(REPO_ROOT, "dashboards", source.file), "utf8"),
  ]);
}
