/**
 * Every command's name, summary and flags, as data. Kept apart from the commands' code so that the
 * help and the parser need none of it: `up` does not load the backup or k6 code, and `--help`
 * loads no command at all (registry.ts loads the one that runs).
 */
import { JSON_FLAG, JUNIT_FLAG, STACK_FLAGS, booleanFlag, optionalValueFlag, valueFlag, type Command } from "../args.ts";
import { StackError } from "../errors.ts";

export const GENERATE: Command<typeof STACK_FLAGS> = {
  name: "generate",
  summary: "Load and check the stack config, render the bundle and write it (only changed files are rewritten)",
  flags: STACK_FLAGS,
};

const validateFlags = {
  ...STACK_FLAGS,
  json: JSON_FLAG,
  strict: booleanFlag("a validator that could not run (its image cannot be pulled) is an error"),
};

export const VALIDATE: Command<typeof validateFlags> = {
  name: "validate",
  summary: "Generate, then run every component's own validator on the bundle, one line each",
  flags: validateFlags,
};

export const UP: Command<typeof STACK_FLAGS> = {
  name: "up",
  summary: "Generate, preflight, pull what is missing, start the stack, wait until it is healthy and print its URLs",
  flags: STACK_FLAGS,
};

const downFlags = {
  ...STACK_FLAGS,
  volumes: booleanFlag("also delete the data volumes: metrics, logs, traces, dashboards state; asks for the project name first"),
  yes: booleanFlag("delete the volumes without asking, as CI must: it has no terminal to ask on"),
};

export const DOWN: Command<typeof downFlags> = {
  name: "down",
  summary: "Stop and remove the containers; the data volumes stay unless --volumes",
  flags: downFlags,
};

const statusFlags = { ...STACK_FLAGS, json: JSON_FLAG };

export const STATUS: Command<typeof statusFlags> = {
  name: "status",
  summary:
    "Service, state, health, uptime and URL of each container, and the free space of each data volume; fails if a container is missing or unhealthy, or a volume is full",
  flags: statusFlags,
};

const DEFAULT_TAIL = 200;

const logsFlags = {
  ...STACK_FLAGS,
  tail: valueFlag({
    placeholder: "N",
    meaning: "lines of history to show first",
    byDefault: String(DEFAULT_TAIL),
    read: (raw) => (raw === undefined ? DEFAULT_TAIL : tailLines(raw)),
  }),
  noFollow: booleanFlag("print the logs and exit instead of following them"),
};

function tailLines(value: string): number {
  if (!/^\d+$/.test(value)) throw new StackError("USAGE", `--tail must be a number of lines, not "${value}"`, "e.g. `npm run logs -- loki --tail 50 --no-follow`");
  return Number(value);
}

export const LOGS: Command<typeof logsFlags> = {
  name: "logs",
  summary: "A component's logs through Compose, followed until Ctrl-C",
  argument: { name: "service", meaning: "the service whose logs to show (the first column of `npm run status`)" },
  flags: logsFlags,
};

const smokeFlags = { ...STACK_FLAGS, json: JSON_FLAG, junit: JUNIT_FLAG };

export const SMOKE: Command<typeof smokeFlags> = {
  name: "smoke",
  summary: "Bounded end-to-end checks through the running stack: scrape, rules, alert delivery, logs, traces, dashboards",
  flags: smokeFlags,
};

const syntheticsFlags = {
  ...STACK_FLAGS,
  json: JSON_FLAG,
  junit: JUNIT_FLAG,
  service: optionalValueFlag("NAME", "only the checks of this service", "every service with checks"),
  profile: optionalValueFlag("NAME", "run this load profile of services[].synthetics.profiles instead of one pass of the checks", "one pass"),
};

export const SYNTHETICS: Command<typeof syntheticsFlags> = {
  name: "synthetics",
  summary: "The k6 checks of your services, in the pinned k6 image; results go to Prometheus",
  flags: syntheticsFlags,
};

const backupFlags = {
  ...STACK_FLAGS,
  to: valueFlag({
    placeholder: "DIR",
    meaning: "where to write the backup (a new or empty directory)",
    byDefault: "./backups/<project>-<UTC time>",
    read: (raw) => raw,
  }),
};

export const BACKUP: Command<typeof backupFlags> = {
  name: "backup",
  summary: "Save every data volume (metrics, silences, dashboards state, logs, traces), one service at a time",
  flags: backupFlags,
};

const restoreFlags = {
  ...STACK_FLAGS,
  from: valueFlag({
    placeholder: "DIR",
    meaning: "a directory written by `npm run backup`",
    byDefault: "required",
    read: (raw) => raw,
  }),
  yes: booleanFlag("replace the current data without asking, as CI must: it has no terminal to ask on"),
};

export const RESTORE: Command<typeof restoreFlags> = {
  name: "restore",
  summary: "Replace the stack's data volumes by a backup's, then bring the stack up",
  flags: restoreFlags,
};

const agentFlags = {
  ...STACK_FLAGS,
  host: optionalValueFlag("NAME", "the host this agent runs on: one of config.hosts", "required"),
  down: booleanFlag("stop and remove the agent's containers (what it has queued stays in its volume)"),
  printToken: booleanFlag("on the central host: print the host's token (from .env) to give to its agent as OBS_AGENT_TOKEN, and exit"),
};

export const AGENT: Command<typeof agentFlags> = {
  name: "agent",
  summary: "On another host of config.hosts: render its agent (node-exporter, cAdvisor, a Collector) into <out>-agent and start it, shipping to this stack's proxy",
  flags: agentFlags,
};
