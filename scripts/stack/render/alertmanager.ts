/** alertmanager.yml: receivers (secrets as mounted files), severity/category routes, intervals, inhibition. */
import type { StackModel } from "../config/model.ts";
import type { ReceiverConfig } from "../config/schema.ts";
import { renderTemplate } from "./templates.ts";

/** Receives what no route claims; Alertmanager needs a root receiver even when the user has none. */
export const BLACKHOLE_RECEIVER = "blackhole";
/** `npm run smoke` posts an alert with this label and waits for it at its own webhook sink. */
export const SMOKE_RECEIVER = "obs-stack-smoke";
export const SMOKE_LABEL = "obs_stack_smoke";
const SECRETS_DIR = "/run/secrets";

const secretFile = (env: string) => `${SECRETS_DIR}/${env.toLowerCase()}`;

export function renderAlertmanagerConfig(model: StackModel): string {
  const { alerting } = model.config;
  return renderTemplate("provisioning/alertmanager/alertmanager.yml", {
    route: {
      receiver: alerting.defaultReceiver ?? BLACKHOLE_RECEIVER,
      groupBy: alerting.groupBy,
      groupWait: alerting.groupWait,
      groupInterval: alerting.groupInterval,
      repeatInterval: alerting.repeatInterval,
    },
    routes: alerting.routes.map((route) => ({
      receiver: route.receiver,
      matchers: [
        ...(route.severity ? [`severity="${route.severity}"`] : []),
        ...(route.category ? [`category=${JSON.stringify(route.category)}`] : []),
        ...route.matchers,
      ],
      continue: route.continue,
      activeTimeIntervals: route.activeTimeIntervals,
      muteTimeIntervals: route.muteTimeIntervals,
      repeatInterval: route.repeatInterval ?? null,
    })),
    receivers: alerting.receivers.map(receiverView),
    blackhole: BLACKHOLE_RECEIVER,
    smoke: { receiver: SMOKE_RECEIVER, label: SMOKE_LABEL, url: `http://host.docker.internal:${model.config.smoke.webhookPort}/alerts` },
    timeIntervals: alerting.timeIntervals,
    inhibitWarningWhenCritical: alerting.inhibitWarningWhenCritical,
  });
}

function receiverView(receiver: ReceiverConfig) {
  const { slack, pagerduty, email, webhook, opsgenie } = receiver;
  return {
    name: receiver.name,
    slack: slack ? { apiUrlFile: secretFile(slack.webhookUrlEnv), channel: slack.channel ?? null } : null,
    pagerduty: pagerduty ? { routingKeyFile: secretFile(pagerduty.routingKeyEnv) } : null,
    email: email
      ? {
          to: email.to.join(", "),
          from: email.from,
          smarthost: email.smarthost,
          authUsername: email.authUsername ?? null,
          authPasswordFile: email.authPasswordEnv ? secretFile(email.authPasswordEnv) : null,
          requireTls: email.requireTls,
        }
      : null,
    webhook: webhook
      ? { url: webhook.url ?? null, urlFile: webhook.urlEnv ? secretFile(webhook.urlEnv) : null }
      : null,
    opsgenie: opsgenie ? { apiKeyFile: secretFile(opsgenie.apiKeyEnv), apiUrl: opsgenie.apiUrl ?? null } : null,
  };
}
