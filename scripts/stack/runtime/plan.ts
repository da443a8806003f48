/** Reads the plan.json of an existing bundle: what commands acting on a generated stack know about it. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { StackError } from "../errors.ts";
import { BUNDLE_PATHS } from "../bundle/bundle.ts";
import type { StackPlan } from "../render/plan.ts";

export function readPlan(bundleDir: string): StackPlan {
  let plan: unknown;
  try {
    plan = JSON.parse(readFileSync(join(bundleDir, BUNDLE_PATHS.plan), "utf8"));
  } catch {
    throw noPlan(bundleDir);
  }
  // The shape check is the minimum the commands rely on; anything stale or foreign is regenerated.
  const candidate = plan as Partial<StackPlan> | null;
  const servicesOk = Array.isArray(candidate?.services) && candidate.services.every((service) => typeof service?.name === "string" && Array.isArray(service.configs));
  if (typeof candidate?.project !== "string" || !servicesOk) throw noPlan(bundleDir);
  return candidate as StackPlan;
}

function noPlan(bundleDir: string): StackError {
  return new StackError("USAGE", `no plan in ${bundleDir}`, "run `npm run generate`");
}
