/**
 * The central stack of the agents test (agents.test.ts): served through the proxy on the host end
 * of the agent host's veth (test/testbed/agent-host.sh), the only address the agent's "machine"
 * reaches; two declared hosts (the test runs the agent of the first, the second never reports);
 * logs to the recording Loki door; AgentHostDown routed to the test's webhook.
 */
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineStack } from "obs-stack";
import { IMAGE_SET, OVERLAY_FILE } from "./helpers.ts";
import { LOKI_DOOR_URL } from "./loki-door-address.ts";

const overlay = IMAGE_SET === "official" ? { images: {}, disabled: {} as Record<string, string> } : (JSON.parse(readFileSync(OVERLAY_FILE, "utf8")) as { images: Record<string, string>; disabled: Record<string, string> });

/** agent-host.sh's host end of the veth. */
export const CENTRAL_ADDRESS = "10.200.0.1";
export const AGENTS_PROXY_PORT = 18444;
export const AGENTS_WEBHOOK_PORT = 19098;
export const AGENTS_WEBHOOK_ENV = "E2E_AGENTS_WEBHOOK_URL";
/** Where the test writes the proxy's CA root once the central stack runs; the agent mounts it from there. */
export const AGENTS_CA_FILE = join(tmpdir(), "obs-e2e-agents-central-ca.pem");
/** The token the recording Loki door (the user's Loki and trace backend here) requires. */
export const BACKEND_TOKEN_ENV = "E2E_BACKEND_TOKEN";
export const AGENT_HOST = "edge-1";
export const SILENT_HOST = "edge-2";

const door = "loki" in overlay.disabled;

export default defineStack({
  project: { name: "obs-e2e" },
  images: overlay.images,
  components: {
    proxy: { enabled: true, port: AGENTS_PROXY_PORT, bindAddress: CENTRAL_ADDRESS, hostname: CENTRAL_ADDRESS },
    grafana: { enabled: IMAGE_SET === "official" },
    loki: { enabled: !door },
    blackbox: { enabled: false },
  },
  // Where Loki is not booted, the door stands for a Loki and a trace backend of the user's that want a token.
  logs: {
    ...(door ? { loki: { url: LOKI_DOOR_URL, bearerTokenEnv: BACKEND_TOKEN_ENV, headers: { "X-Scope-OrgID": "e2e" } } } : {}),
    scrub: { presets: ["creditCard", "email"] },
  },
  traces: { export: door ? [{ name: "backend", endpoint: LOKI_DOOR_URL, bearerTokenEnv: BACKEND_TOKEN_ENV }] : [] },
  hosts: [
    { name: AGENT_HOST, address: "10.200.0.2", labels: { region: "lab" } },
    { name: SILENT_HOST, address: "10.200.0.3" },
  ],
  agents: { caFile: AGENTS_CA_FILE },
  alerting: {
    receivers: [{ name: "agents-hook", webhook: { urlEnv: AGENTS_WEBHOOK_ENV } }],
    routes: [{ receiver: "agents-hook", matchers: ['alertname="AgentHostDown"'] }],
    chat: [],
    groupInterval: "10s",
  },
});
