/** `npm run backup [-- --to DIR]`: the stack's state (every data volume) into a directory. */
import { join, resolve } from "node:path";
import { STACK_FLAGS, valueFlag, type Command, type Options } from "../args.ts";
import type { Output } from "../output.ts";
import { backupStack } from "../runtime/backup.ts";
import { readPlan } from "../runtime/plan.ts";
import { loadRunningProject } from "./project.ts";

const flags = {
  ...STACK_FLAGS,
  to: valueFlag({
    placeholder: "DIR",
    meaning: "where to write the backup (a new or empty directory)",
    byDefault: "./backups/<project>-<UTC time>",
    read: (raw) => raw,
  }),
};

export const backupCommand: Command<typeof flags> = {
  name: "backup",
  summary: "Save every data volume (metrics, silences, dashboards state, logs, traces), one service at a time",
  flags,
  run: backup,
};

export async function backup(options: Options<typeof flags>, out: Output): Promise<void> {
  const project = await loadRunningProject(options, out);
  const plan = readPlan(project.bundleDir);
  const dir = resolve(options.to ?? join("backups", `${plan.project}-${new Date().toISOString().replace(/[:.]/g, "-")}`));
  const manifest = await backupStack(project, plan, dir, out);
  const mib = manifest.volumes.reduce((sum, volume) => sum + volume.bytes, 0) / 1024 ** 2;
  out.result(`backup of "${plan.project}" in ${dir}: ${manifest.volumes.length} volumes, ${mib.toFixed(1)} MiB; restore with \`npm run restore -- --from ${dir}\``);
}
