/** Command-line flags shared by every command (`-- --config FILE --out DIR`), plus per-command ones. */
import { parseArgs } from "node:util";
import { StackError } from "./errors.ts";

export interface CommonOptions {
  config: string | undefined;
  out: string;
  json: boolean;
  /** `down --volumes`: also delete the named volumes (data). */
  volumes: boolean;
  /** Answer yes to confirmations (required for destructive actions without a terminal). */
  yes: boolean;
  /** Also write the results as JUnit XML to this file. */
  junit: string | undefined;
  /** `logs --tail N`: lines of history to show first. */
  tail: number;
  /** `logs --no-follow`: print and exit instead of following. */
  noFollow: boolean;
  /** `synthetics --service NAME`: only this service's checks. */
  service: string | undefined;
  /** `synthetics --profile NAME`: run this load profile instead of a single check pass. */
  profile: string | undefined;
  /** `validate --strict`: a validator that could not run (its image cannot be pulled) is an error. */
  strict: boolean;
  positionals: string[];
}

export function parseCommonArgs(argv: readonly string[], env: NodeJS.ProcessEnv): CommonOptions {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: "string" },
        out: { type: "string" },
        json: { type: "boolean", default: false },
        volumes: { type: "boolean", default: false },
        yes: { type: "boolean", default: false },
        junit: { type: "string" },
        tail: { type: "string", default: "200" },
        "no-follow": { type: "boolean", default: false },
        service: { type: "string" },
        profile: { type: "string" },
        strict: { type: "boolean", default: false },
      },
    });
    return {
      config: values.config ?? env.STACK_CONFIG,
      out: values.out ?? env.STACK_OUT ?? ".stack",
      json: values.json ?? false,
      volumes: values.volumes ?? false,
      yes: values.yes ?? false,
      junit: values.junit,
      tail: tailLines(values.tail ?? "200"),
      noFollow: values["no-follow"] ?? false,
      service: values.service,
      profile: values.profile,
      strict: values.strict ?? false,
      positionals,
    };
  } catch (error) {
    if (error instanceof StackError) throw error;
    throw new StackError("USAGE", (error as Error).message, "Run `npm run <command> -- --help` for the options.");
  }
}

function tailLines(value: string): number {
  if (!/^\d+$/.test(value)) throw new StackError("USAGE", `--tail must be a number of lines, not "${value}"`, "e.g. `npm run logs -- loki --tail 50 --no-follow`");
  return Number(value);
}
