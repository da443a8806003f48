/**
 * Alerts generated per declared service, with a promtool unit test for each alert so the generated
 * rules are proven the same way as the static packs: down, continuous synthetic check failing, and
 * certificates closer to expiry than a check allows. Their `for` durations come from the latency
 * budget (resolve/alert-latency.ts); the down and failing tests prove a one-sample blip stays silent.
 */
import type { RulePackFiles } from "./rule-packs.ts";
import type { ServiceConfig } from "../config/schema.ts";
import type { ServiceTimings } from "../resolve/alert-latency.ts";
import type { HttpSyntheticCheck } from "../resolve/checks.ts";
import { probeJobName } from "../resolve/probes.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { alertTimingTests } from "./alert-timing-tests.ts";
import { generatedYaml } from "./templates.ts";

const DAY_SECONDS = 86_400;

export function renderServiceRules(model: ResolvedStack): RulePackFiles | undefined {
  const services = model.config.services.map((service, i) => ({ service, timing: model.timings.services[i]! }));
  const scraped = services.filter(({ service }) => service.metricsPath !== false);
  const continuous = model.enabled.blackbox ? model.checks.flatMap(({ checks }) => checks).filter((check) => check.continuous) : [];
  const probed = services.filter(({ service }) => continuous.some((check) => check.service === service.name));
  const certificates = continuous.filter((check): check is HttpSyntheticCheck => check.kind === "http" && check.expect.certificateDaysLeft !== null);
  if (scraped.length === 0 && probed.length === 0) return undefined;

  const certificateFor = (check: HttpSyntheticCheck) => services.find(({ service }) => service.name === check.service)!.timing.certificateFor;
  const groups = [
    ...(scraped.length ? [{ name: "services.up", rules: scraped.map(serviceDownRule) }] : []),
    ...(probed.length ? [{ name: "services.probes", rules: probed.map(probeFailingRule) }] : []),
    ...(certificates.length ? [{ name: "services.certificates", rules: certificates.map((check) => certificateRule(check, certificateFor(check))) }] : []),
  ];
  const { evaluationInterval } = model.timings;
  const tests = () => ({
    rule_files: ["../services.yml"],
    evaluation_interval: evaluationInterval,
    tests: [
      ...scraped.flatMap((entry) => serviceDownTests(entry, evaluationInterval)),
      ...probed.flatMap((entry) => probeFailingTests(entry, evaluationInterval)),
      ...certificates.flatMap(certificateTests),
    ],
  });
  return {
    rules: generatedYaml({ groups }),
    tests: () => generatedYaml(tests()),
  };
}

interface TimedService {
  service: ServiceConfig;
  timing: ServiceTimings;
}

function serviceDownRule({ service, timing }: TimedService) {
  return {
    alert: "ServiceDown",
    expr: `up{job="${service.name}"} == 0`,
    for: timing.for.critical,
    labels: { severity: "critical", category: "availability", service: service.name },
    annotations: serviceDownAnnotations(service.name, "{{ $labels.instance }}", timing.for.critical),
  };
}

function serviceDownTests({ service, timing }: TimedService, evaluationInterval: string) {
  return alertTimingTests({
    name: `ServiceDown ${service.name}`,
    alertname: "ServiceDown",
    series: `up{job="${service.name}", instance="target"}`,
    interval: timing.scrapeInterval,
    evaluationInterval,
    for: timing.for.critical,
    expAlert: {
      exp_labels: { severity: "critical", category: "availability", service: service.name, job: service.name, instance: "target" },
      exp_annotations: serviceDownAnnotations(service.name, "target", timing.for.critical),
    },
  });
}

function probeFailingRule({ service, timing }: TimedService) {
  return {
    alert: "HealthProbeFailing",
    expr: `probe_success{service="${service.name}"} == 0`,
    for: timing.alertAfter,
    labels: { severity: "warning", category: "availability", service: service.name },
    annotations: probeFailingAnnotations(service.name, "{{ $labels.check }}", "{{ $labels.instance }}", timing.alertAfter),
  };
}

function probeFailingTests({ service, timing }: TimedService, evaluationInterval: string) {
  return alertTimingTests({
    name: `HealthProbeFailing ${service.name}`,
    alertname: "HealthProbeFailing",
    series: `probe_success{service="${service.name}", check="ready", instance="x"}`,
    interval: timing.probeInterval,
    evaluationInterval,
    for: timing.alertAfter,
    expAlert: {
      exp_labels: { severity: "warning", category: "availability", service: service.name, check: "ready", instance: "x" },
      exp_annotations: probeFailingAnnotations(service.name, "ready", "x", timing.alertAfter),
    },
  });
}

function certificateRule(check: HttpSyntheticCheck, holdFor: string) {
  return {
    alert: "SyntheticCertificateExpiring",
    expr: `(probe_ssl_earliest_cert_expiry{job="${probeJobName(check.service, check.name)}"} - time()) / ${DAY_SECONDS} < ${check.expect.certificateDaysLeft}`,
    for: holdFor,
    labels: { severity: "warning", category: "synthetics", service: check.service, check: check.name },
    annotations: certificateAnnotations(check, "{{ $labels.instance }}", "{{ $value | printf \"%.0f\" }}"),
  };
}

/** promtool starts time() at 0, so an expiry timestamp of N days is N days away at the start. */
function certificateTests(check: HttpSyntheticCheck) {
  const days = check.expect.certificateDaysLeft!;
  const series = (daysLeft: number) => [
    { series: `probe_ssl_earliest_cert_expiry{job="${probeJobName(check.service, check.name)}", instance="x"}`, values: `${daysLeft * DAY_SECONDS}x20` },
  ];
  const alertname = "SyntheticCertificateExpiring";
  return [
    {
      name: `${alertname} ${check.service}/${check.name} stays silent with ${days + 5} days left`,
      interval: "1m",
      input_series: series(days + 5),
      alert_rule_test: [{ eval_time: "15m", alertname, exp_alerts: [] }],
    },
    {
      name: `${alertname} ${check.service}/${check.name} fires with ${days - 1} days left`,
      interval: "1m",
      input_series: series(days - 1),
      alert_rule_test: [
        {
          eval_time: "15m",
          alertname,
          exp_alerts: [
            {
              exp_labels: { severity: "warning", category: "synthetics", service: check.service, check: check.name, job: probeJobName(check.service, check.name), instance: "x" },
              exp_annotations: certificateAnnotations(check, "x", String(days - 1)),
            },
          ],
        },
      ],
    },
  ];
}

/** Annotation texts, shared by the rule (with template placeholders) and its test (with the expanded values). */
function serviceDownAnnotations(service: string, instance: string, holdFor: string) {
  return {
    summary: `${service} is down`,
    description: `Prometheus has not been able to scrape ${service} (${instance}) for ${holdFor}.`,
    runbook_url: "docs/runbooks/service-down.md",
    dashboard: "/d/service-overview",
  };
}

function probeFailingAnnotations(service: string, check: string, instance: string, holdFor: string) {
  return {
    summary: `${service} synthetic check ${check} is failing`,
    description: `The blackbox probe of ${instance} has failed for ${holdFor}.`,
    runbook_url: "docs/runbooks/health-probe-failing.md",
    dashboard: "/d/synthetics",
  };
}

function certificateAnnotations(check: HttpSyntheticCheck, instance: string, daysLeft: string) {
  return {
    summary: `${check.service}: the certificate of ${instance} expires within ${check.expect.certificateDaysLeft} days`,
    description: `The certificate checked by ${check.service}/${check.name} expires in ${daysLeft} days; the check allows no less than ${check.expect.certificateDaysLeft}.`,
    runbook_url: "docs/runbooks/tls-certificate-expiring-soon.md",
    dashboard: "/d/synthetics",
  };
}
