/** `npm run down`: stops and removes the containers; data volumes stay unless --volumes is confirmed. */
import type { RunnableCommand, Options } from "../args.ts";
import { DOWN } from "./specs.ts";
import { StackError } from "../errors.ts";
import type { Output } from "../output.ts";
import { runCompose } from "../runtime/compose-cli.ts";
import { confirmByTyping } from "./confirm.ts";
import { loadRunningProject } from "./project.ts";

export const downCommand: RunnableCommand<typeof DOWN.flags> = { ...DOWN, run: down };

export async function down(options: Options<typeof DOWN.flags>, out: Output): Promise<void> {
  const project = await loadRunningProject(options, out);
  const name = project.model.config.project.name;
  if (options.volumes && !options.yes && !(await confirmByTyping(`Delete ALL data of stack "${name}" (metrics, logs, traces, dashboards state)? Type the project name to confirm: `, name)))
    throw new StackError("USAGE", "not deleting volumes without confirmation", "pass --yes to delete them without a prompt (e.g. in CI)");
  const args = ["down", "--remove-orphans", ...(options.volumes ? ["--volumes"] : [])];
  const result = await runCompose(project, args);
  if (result.code !== 0) throw new StackError("COMPOSE_FAILED", `docker compose down failed (exit ${result.code})`, "see the output above");
  out.info(options.volumes ? `stack "${name}" removed, data volumes deleted` : `stack "${name}" stopped; data volumes kept (delete them with --volumes)`);
}
