/** `npm run logs -- <service> [--tail N] [--no-follow]`: a component's logs through Compose. */
import type { RunnableCommand, Options } from "../args.ts";
import { LOGS } from "./specs.ts";
import type { Output } from "../output.ts";
import { didYouMean } from "../config/did-you-mean.ts";
import { StackError } from "../errors.ts";
import { attachCompose } from "../runtime/compose-cli.ts";
import { readPlan } from "../runtime/plan.ts";
import { loadRunningProject } from "./project.ts";

export const logsCommand: RunnableCommand<typeof LOGS.flags> = { ...LOGS, run: logs };

export async function logs(options: Options<typeof LOGS.flags>, out: Output): Promise<void> {
  const project = await loadRunningProject(options, out);
  const services = readPlan(project.bundleDir).services.map((service) => service.name);
  const [service] = options.positionals;
  if (!service) throw new StackError("USAGE", "which service? e.g. `npm run logs -- loki`", `services: ${services.join(", ")}`);
  if (!services.includes(service)) {
    const suggestion = didYouMean(service, services);
    throw new StackError("USAGE", `no service "${service}" in this stack`, suggestion ? `did you mean "${suggestion}"?` : `services: ${services.join(", ")}`);
  }
  const code = await attachCompose(project, ["logs", ...(options.noFollow ? [] : ["--follow"]), "--tail", String(options.tail), service]);
  if (code !== 0 && code !== 130) throw new StackError("COMPOSE_FAILED", `docker compose logs exited with ${code}`, "is the stack running? `npm run status`");
}
