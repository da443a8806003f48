/** `npm run restore -- --from DIR`: puts a backup's volumes back, replacing the stack's current state. */
import { resolve } from "node:path";
import type { RunnableCommand, Options } from "../args.ts";
import { RESTORE } from "./specs.ts";
import { StackError } from "../errors.ts";
import type { Output } from "../output.ts";
import { restoreStack, verifiedBackup } from "../runtime/backup.ts";
import { readPlan } from "../runtime/plan.ts";
import { confirmByTyping } from "./confirm.ts";
import { loadProject } from "./project.ts";

export const restoreCommand: RunnableCommand<typeof RESTORE.flags> = { ...RESTORE, run: restore };

export async function restore(options: Options<typeof RESTORE.flags>, out: Output): Promise<void> {
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
