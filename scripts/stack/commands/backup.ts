/** `npm run backup [-- --to DIR]`: the stack's state (every data volume) into a directory. */
import { join, resolve } from "node:path";
import type { RunnableCommand, Options } from "../args.ts";
import { BACKUP } from "./specs.ts";
import type { Output } from "../output.ts";
import { backupStack } from "../runtime/backup.ts";
import { readPlan } from "../runtime/plan.ts";
import { loadRunningProject } from "./project.ts";

export const backupCommand: RunnableCommand<typeof BACKUP.flags> = { ...BACKUP, run: backup };

export async function backup(options: Options<typeof BACKUP.flags>, out: Output): Promise<void> {
  const project = await loadRunningProject(options, out);
  const plan = readPlan(project.bundleDir);
  const dir = resolve(options.to ?? join("backups", `${plan.project}-${new Date().toISOString().replace(/[:.]/g, "-")}`));
  const manifest = await backupStack(project, plan, dir, out);
  const mib = manifest.volumes.reduce((sum, volume) => sum + volume.bytes, 0) / 1024 ** 2;
  out.result(`backup of "${plan.project}" in ${dir}: ${manifest.volumes.length} volumes, ${mib.toFixed(1)} MiB; restore with \`npm run restore -- --from ${dir}\``);
}
