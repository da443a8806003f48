/**
 * `npm run smoke`: bounded end-to-end checks through the running stack. It starts what it needs
 * itself (a webhook sink on the Docker bridge, a short-lived container that logs a line with PII)
 * and removes them afterwards, whatever happens.
 */
import { randomInt } from "node:crypto";
import type { RunnableCommand, Options } from "../args.ts";
import { SMOKE } from "./specs.ts";
import { effectiveEnv } from "../config/env-file.ts";
import { StackError } from "../errors.ts";
import type { Output } from "../output.ts";
import { GRAFANA_PASSWORD_ENV } from "../render/compose-services.ts";
import { LOG_COLLECTOR_COMPONENT } from "../catalog/components.ts";
import { fluentdLogging } from "../render/log-shipping.ts";
import { LOG_LABELS } from "../render/promtail.ts";
import { bridgeGatewayAddress, requireDocker, removeContainer, startContainer } from "../runtime/docker.ts";
import { runCheck, type CheckOutcome } from "../checks/check.ts";
import { outcomesJson, outcomesTable, writeJunit } from "../checks/report.ts";
import { smokeChecks, smokeTraceId, type SmokeContext } from "../checks/smoke-checks.ts";
import { startWebhookSink, type WebhookSink } from "../checks/webhook-sink.ts";
import { loadProject } from "./project.ts";

const SMOKE_LOG_SERVICE = "obs-stack-smoke";

export const smokeCommand: RunnableCommand<typeof SMOKE.flags> = { ...SMOKE, run: smoke };

export async function smoke(options: Options<typeof SMOKE.flags>, out: Output): Promise<CheckOutcome[]> {
  const project = await loadProject(options, false);
  await requireDocker("start Docker and `npm run up` first");
  const { model } = project;
  const runId = letters(20);
  const logLine = JSON.stringify({
    level: "INFO",
    message: `obs-stack smoke ${runId}`,
    user: "jane.doe@example.com",
    card: "4111 1111 1111 1234",
    ssn: "123-45-6789",
    phone: "+1 415-555-0100",
    client_ip: "10.1.2.3",
    trace_id: smokeTraceId(runId),
  });

  const sink = await startSink(model.config.smoke.webhookPort);
  const logContainer = model.enabled[LOG_COLLECTOR_COMPONENT[model.config.logs.collector]]
    ? await startContainer({
        image: model.images.prometheus,
        entrypoint: ["/bin/sh", "-c"],
        cmd: [`while true; do echo '${logLine}'; sleep 2; done`],
        labels: { [LOG_LABELS.service]: SMOKE_LOG_SERVICE, [LOG_LABELS.category]: "smoke" },
        logging: fluentdLogging(model),
      }).catch((error: Error) => {
        out.warn(`could not start the log-writing container: ${error.message}`);
        return undefined;
      })
    : undefined;

  const context: SmokeContext = {
    model,
    runId,
    grafanaPassword: effectiveEnv(project.envFile)[GRAFANA_PASSWORD_ENV],
    sink,
    logLine,
    logService: SMOKE_LOG_SERVICE,
  };
  const outcomes: CheckOutcome[] = [];
  try {
    // Checks run concurrently: each is bounded by its own deadline, so the slowest sets the pace.
    outcomes.push(...(await Promise.all(smokeChecks(context).map(runCheck))));
  } finally {
    if (sink && !("error" in sink)) await sink.close();
    if (logContainer) await removeContainer(logContainer).catch(() => undefined);
  }

  if (options.junit) writeJunit(options.junit, "obs-stack smoke", outcomes);
  out.result(options.json ? outcomesJson("obs-stack smoke", outcomes) : outcomesTable(outcomes));
  const failed = outcomes.filter((o) => o.status === "fail");
  if (failed.length > 0)
    throw new StackError("CHECKS_FAILED", `${failed.length} smoke check(s) failed: ${failed.map((o) => o.name).join("; ")}`, "each FAIL line above names the broken part; `npm run status` and `npm run logs -- <service>` show more");
  return outcomes;
}

async function startSink(port: number): Promise<WebhookSink | { error: string }> {
  const address = await bridgeGatewayAddress().catch(() => undefined);
  if (!address) return { error: "the Docker bridge gateway address is unknown, so no webhook sink could be started" };
  try {
    return await startWebhookSink(address, port);
  } catch (error) {
    return { error: `cannot listen on ${address}:${port} for the webhook sink (${(error as Error).message}); set smoke.webhookPort` };
  }
}

/** A token of letters only, so no PII scrub rule (all digit-based) can touch it. */
function letters(length: number): string {
  return Array.from({ length }, () => String.fromCharCode(97 + randomInt(26))).join("");
}
