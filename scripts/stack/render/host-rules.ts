/**
 * AgentHostDown: a declared host whose agent has sent no scrape for the silence window (its agent
 * stopped, its host died, or the network or the token between them broke). Every scrape an agent
 * ships carries `up` for each of its targets, set to 0 when a target is down (TargetDown fires
 * then, naming the target), so no `up` at all means the agent itself is not reporting. One rule per
 * host: `absent_over_time` has only the matcher's labels, which name the host. promtool tests prove
 * the timing on the first host: one lost scrape fires nothing, a silence fires `for` after the window.
 */
import { agentEndpoints, HOST_LABEL } from "../config/agents.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { durationToSeconds } from "../syntax/durations.ts";
import type { RulePackFiles } from "./rule-packs.ts";
import { generatedYaml } from "./templates.ts";

const ALERT = "AgentHostDown";

export function renderHostRules(model: ResolvedStack): RulePackFiles | undefined {
  const hosts = agentEndpoints(model).map(({ host }) => host.name);
  if (hosts.length === 0) return undefined;
  const { hostSilence } = model.timings;
  const rules = hosts.map((host) => ({
    alert: ALERT,
    expr: `absent_over_time(up{${HOST_LABEL}="${host}"}[${hostSilence.window}])`,
    for: hostSilence.for,
    // Also in the result of absent_over_time; written out so that each host's rule is distinct.
    labels: { severity: "critical", category: "availability", [HOST_LABEL]: host },
    annotations: annotations(host, hostSilence.window),
  }));
  return {
    rules: generatedYaml({ groups: [{ name: "hosts.agents", rules }] }),
    tests: () => generatedYaml(hostTests(model, hosts)),
  };
}

function annotations(host: string, window: string) {
  return {
    runbook_url: "docs/runbooks/agent-host-down.md",
    summary: `Host ${host} stopped reporting`,
    description: `No scrape from the agent on ${host} for ${window}: the agent stopped, the host is down, or it cannot reach this stack (network, proxy, token). On ${host}: \`npm run agent -- --host ${host}\` starts it again and says what fails.`,
  };
}

/**
 * Samples every scrape interval. Range selectors are left-open: the window holds no sample from
 * `last + window` on, and the first evaluation then turns the alert pending.
 */
function hostTests(model: ResolvedStack, [host, ...others]: readonly string[]) {
  const { evaluationInterval, scrapeInterval, hostSilence } = model.timings;
  const scrape = durationToSeconds(scrapeInterval);
  const evaluation = durationToSeconds(evaluationInterval);
  const window = durationToSeconds(hostSilence.window);
  const hold = Math.ceil(durationToSeconds(hostSilence.for) / evaluation) * evaluation;
  const reporting = 10;
  const last = (reporting - 1) * scrape;
  const pendingAt = Math.ceil((last + window) / evaluation) * evaluation;
  const firesAt = pendingAt + hold;
  const samplesUntil = (seconds: number) => Math.ceil(seconds / scrape) + 1;
  const up = (name: string, values: string) => ({ series: `up{${HOST_LABEL}="${name}", job="node-exporter", instance="${name}"}`, values });
  // The other hosts keep reporting: only the first one's rule may fire.
  const series = (values: string) => [up(host!, values), ...others.map((other) => up(other, `1x${samplesUntil(firesAt) + reporting}`))];
  const at = (seconds: number, alerts: unknown[]) => ({ eval_time: `${seconds}s`, alertname: ALERT, exp_alerts: alerts });
  const fired = { exp_labels: { severity: "critical", category: "availability", [HOST_LABEL]: host! }, exp_annotations: annotations(host!, hostSilence.window) };
  const evaluations = (until: number) => Array.from({ length: Math.floor(until / evaluation) }, (_, i) => (i + 1) * evaluation);
  return {
    rule_files: ["../hosts.yml"],
    evaluation_interval: evaluationInterval,
    tests: [
      {
        name: `${ALERT} ${host!}: one lost scrape fires nothing`,
        interval: scrapeInterval,
        input_series: series(`1x${reporting - 1} _ 1x${samplesUntil(firesAt)}`),
        alert_rule_test: evaluations(firesAt + evaluation).map((seconds) => at(seconds, [])),
      },
      {
        name: `${ALERT} ${host!}: silent after its last scrape, it fires ${hostSilence.window} + ${hostSilence.for} later (at the evaluations' step)`,
        interval: scrapeInterval,
        input_series: series(`1x${reporting - 1} _x${samplesUntil(firesAt)}`),
        alert_rule_test: [at(firesAt - evaluation, []), at(firesAt, [fired])],
      },
    ],
  };
}
