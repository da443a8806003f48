/**
 * The faults test's stack (faults.test.ts): the e2e stack, with the alerts the test provokes routed
 * to the webhook receiver the test runs, and a group interval short enough that the RESOLVED
 * notification follows the recovery within seconds instead of the default 5 minutes.
 */
import { defineStack } from "obs-stack";
import e2e from "./stack.e2e.config.ts";

/** Where faults.test.ts listens (on the Docker bridge gateway), as Alertmanager's container reaches it. */
export const FAULTS_WEBHOOK_PORT = 19097;
export const FAULTS_WEBHOOK_ENV = "E2E_FAULTS_WEBHOOK_URL";

export default defineStack({
  ...e2e,
  alerting: {
    receivers: [{ name: "faults-hook", webhook: { urlEnv: FAULTS_WEBHOOK_ENV } }],
    routes: [{ receiver: "faults-hook", matchers: ['alertname=~"TargetDown|VolumeSpaceLow|VolumeFull"'] }],
    // A webhook receiver counts as chat by default: the other alerts must not reach the test's receiver.
    chat: [],
    groupInterval: "10s",
  },
});
