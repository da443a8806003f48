/** `npm run logs -- <service> [--tail N] [--no-follow]`: a component's logs through Compose. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { CommonOptions } from "../args.ts";
import type { Output } from "../output.ts";
import { didYouMean } from "../config/did-you-mean.ts";
import { StackError } from "../errors.ts";
import { attachCompose } from "../runtime/compose-cli.ts";
import { loadRunningProject } from "./project.ts";

export async function logs(options: CommonOptions, out: Output): Promise<void> {
  const project = await loadRunningProject(options, out);
  const composeYaml = readFileSync(join(project.bundleDir, "compose.yaml"), "utf8");
  const services = Object.keys((parse(composeYaml) as { services: Record<string, unknown> }).services);
  const [service] = options.positionals;
  if (!service) throw new StackError("USAGE", "which service? e.g. `npm run logs -- loki`", `services: ${services.join(", ")}`);
  if (!services.includes(service)) {
    const suggestion = didYouMean(service, services);
    throw new StackError("USAGE", `no service "${service}" in this stack`, suggestion ? `did you mean "${suggestion}"?` : `services: ${services.join(", ")}`);
  }
  const code = await attachCompose(project, ["logs", ...(options.noFollow ? [] : ["--follow"]), "--tail", String(options.tail), service]);
  if (code !== 0 && code !== 130) throw new StackError("UNHEALTHY", `docker compose logs exited with ${code}`, "is the stack running? `npm run status`");
}
