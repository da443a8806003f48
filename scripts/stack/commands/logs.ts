/** `npm run logs -- <service> [--tail N] [--no-follow]`: a component's logs through Compose. */
import { STACK_FLAGS, booleanFlag, valueFlag, type Command, type Options } from "../args.ts";
import type { Output } from "../output.ts";
import { didYouMean } from "../config/did-you-mean.ts";
import { StackError } from "../errors.ts";
import { attachCompose } from "../runtime/compose-cli.ts";
import { readPlan } from "../runtime/plan.ts";
import { loadRunningProject } from "./project.ts";

const DEFAULT_TAIL = 200;

const flags = {
  ...STACK_FLAGS,
  tail: valueFlag({
    placeholder: "N",
    meaning: "lines of history to show first",
    byDefault: String(DEFAULT_TAIL),
    read: (raw) => (raw === undefined ? DEFAULT_TAIL : tailLines(raw)),
  }),
  noFollow: booleanFlag("print the logs and exit instead of following them"),
};

export const logsCommand: Command<typeof flags> = {
  name: "logs",
  summary: "A component's logs through Compose, followed until Ctrl-C",
  argument: { name: "service", meaning: "the service whose logs to show (the first column of `npm run status`)" },
  flags,
  run: logs,
};

export async function logs(options: Options<typeof flags>, out: Output): Promise<void> {
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

function tailLines(value: string): number {
  if (!/^\d+$/.test(value)) throw new StackError("USAGE", `--tail must be a number of lines, not "${value}"`, "e.g. `npm run logs -- loki --tail 50 --no-follow`");
  return Number(value);
}
