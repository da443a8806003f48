/** `npm run restore -- --from DIR`: puts a backup's volumes back, replacing the stack's current state. */
import { resolve } from "node:path";
import { STACK_FLAGS, booleanFlag, valueFlag, type Command, type Options } from "../args.ts";
import { StackError } from "../errors.ts";
import type { Output } from "../output.ts";
import { restoreStack, verifiedBackup } from "../runtime/backup.ts";
import { readPlan } from "../runtime/plan.ts";
import { confirmByTyping } from "./confirm.ts";
import { loadProject } from "./project.ts";

const flags = {
  ...STACK_FLAGS,
  from: valueFlag({
    placeholder: "DIR",
    meaning: "a directory written by `npm run backup`",
    byDefault: "required",
    read: (raw) => raw,
  }),
  yes: booleanFlag("replace the current data without asking, as CI must: it has no terminal to ask on"),
};

export const restoreCommand: Command<typeof flags> = {
  name: "restore",
  summary: "Replace the stack's data volumes by a backup's, then bring the stack up",
  flags,
  run: restore,
};

export async function restore(options: Options<typeof flags>, out: Output): Promise<void> {
  if (!options.from) throw new StackError("USAGE", "restore needs --from DIR", "e.g. `npm run restore -- --from backups/obs-2026-01-01T00-00-00-000Z`");
  const dir = resolve(options.from);
  const project = await loadProject(options, true);
  const plan = readPlan(project.bundleDir);
  const manifest = await verifiedBackup(plan, dir);
  for (const entry of manifest.volumes) {
    const now = plan.services.find((service) => service.name === entry.service)?.image;
    if (now && now !== entry.image) out.warn(`${entry.service}: backed up from ${entry.image}, restored into ${now}; the component upgrades its data on start`);
  }
  const services = [...new Set(manifest.volumes.map((entry) => entry.service))].join(", ");
  if (!options.yes && !(await confirmByTyping(`Replace the data of ${services} in stack "${plan.project}" by the backup of ${manifest.createdAt}? Type the project name to confirm: `, plan.project)))
    throw new StackError("USAGE", "not replacing the stack's data without confirmation", "pass --yes to restore without a prompt (e.g. in CI)");
  await restoreStack(project, plan, dir, manifest, out);
  out.result(`restored ${manifest.volumes.length} volumes of ${services} from ${dir} (taken ${manifest.createdAt})`);
}
