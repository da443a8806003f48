/**
 * Alerts generated per declared service, with a promtool unit test for each alert so the generated
 * rules are proven the same way as the static packs: down, continuous synthetic check failing, and
 * certificates closer to expiry than a check allows.
 */
import { stringify } from "yaml";
import type { ServiceConfig } from "../config/schema.ts";
import { durationToSeconds } from "../config/durations.ts";
import type { HttpSyntheticCheck } from "../resolve/checks.ts";
import { probeJobName } from "../resolve/probes.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { GENERATED_HEADER } from "./templates.ts";

const DAY_SECONDS = 86_400;
const CERTIFICATE_ALERT_FOR = "10m";

export function renderServiceRules(model: ResolvedStack): { rules: string; tests: string } | undefined {
  const services = model.config.services;
  const scraped = services.filter((service) => service.metricsPath !== false);
  const continuous = model.enabled.blackbox ? model.checks.flatMap(({ checks }) => checks).filter((check) => check.continuous) : [];
  const probed = services.filter((service) => continuous.some((check) => check.service === service.name));
  const certificates = continuous.filter((check): check is HttpSyntheticCheck => check.kind === "http" && check.expect.certificateDaysLeft !== null);
  if (scraped.length === 0 && probed.length === 0) return undefined;

  const groups = [
    ...(scraped.length ? [{ name: "services.up", rules: scraped.map(serviceDownRule) }] : []),
    ...(probed.length ? [{ name: "services.probes", rules: probed.map(probeFailingRule) }] : []),
    ...(certificates.length ? [{ name: "services.certificates", rules: certificates.map(certificateRule) }] : []),
  ];
  const tests = {
    rule_files: ["../services.yml"],
    evaluation_interval: "15s",
    tests: [...scraped.map(serviceDownTest), ...probed.map(probeFailingTest), ...certificates.flatMap(certificateTests)],
  };
  return {
    rules: `${GENERATED_HEADER}\n${stringify({ groups }, { lineWidth: 0, aliasDuplicateObjects: false })}`,
    tests: `${GENERATED_HEADER}\n${stringify(tests, { lineWidth: 0, aliasDuplicateObjects: false })}`,
  };
}


function serviceDownRule(service: ServiceConfig) {
  return {
    alert: "ServiceDown",
    expr: `up{job="${service.name}"} == 0`,
    for: "2m",
    labels: { severity: "critical", category: "availability", service: service.name },
    annotations: serviceDownAnnotations(service.name, "{{ $labels.instance }}"),
  };
}

function serviceDownTest(service: ServiceConfig) {
  return {
    name: `ServiceDown ${service.name}`,
    interval: "1m",
    input_series: [{ series: `up{job="${service.name}", instance="target"}`, values: "1 1 0 0 0 0" }],
    alert_rule_test: [
      { eval_time: "2m", alertname: "ServiceDown", exp_alerts: [] },
      {
        eval_time: "5m",
        alertname: "ServiceDown",
        exp_alerts: [
          {
            exp_labels: { severity: "critical", category: "availability", service: service.name, job: service.name, instance: "target" },
            exp_annotations: serviceDownAnnotations(service.name, "target"),
          },
        ],
      },
    ],
  };
}

function probeFailingRule(service: ServiceConfig) {
  return {
    alert: "HealthProbeFailing",
    expr: `probe_success{service="${service.name}"} == 0`,
    for: service.synthetics.alertAfter,
    labels: { severity: "warning", category: "availability", service: service.name },
    annotations: probeFailingAnnotations(service, "{{ $labels.check }}", "{{ $labels.instance }}"),
  };
}

/** The probe fails from minute 2 on: silent while pending, firing once alertAfter has passed. */
function probeFailingTest(service: ServiceConfig) {
  const afterMinutes = Math.ceil(durationToSeconds(service.synthetics.alertAfter) / 60);
  return {
    name: `HealthProbeFailing ${service.name}`,
    interval: "1m",
    input_series: [{ series: `probe_success{service="${service.name}", check="ready", instance="x"}`, values: `1 1 0x${afterMinutes + 3}` }],
    alert_rule_test: [
      { eval_time: "2m", alertname: "HealthProbeFailing", exp_alerts: [] },
      {
        eval_time: `${afterMinutes + 3}m`,
        alertname: "HealthProbeFailing",
        exp_alerts: [
          {
            exp_labels: { severity: "warning", category: "availability", service: service.name, check: "ready", instance: "x" },
            exp_annotations: probeFailingAnnotations(service, "ready", "x"),
          },
        ],
      },
    ],
  };
}

function certificateRule(check: HttpSyntheticCheck) {
  return {
    alert: "SyntheticCertificateExpiring",
    expr: `(probe_ssl_earliest_cert_expiry{job="${probeJobName(check.service, check.name)}"} - time()) / ${DAY_SECONDS} < ${check.expect.certificateDaysLeft}`,
    for: CERTIFICATE_ALERT_FOR,
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
function serviceDownAnnotations(service: string, instance: string) {
  return {
    summary: `${service} is down`,
    description: `Prometheus cannot scrape ${service} (${instance}) for 2 minutes.`,
    runbook_url: "docs/runbooks/service-down.md",
    dashboard: "/d/service-overview",
  };
}

function probeFailingAnnotations(service: ServiceConfig, check: string, instance: string) {
  return {
    summary: `${service.name} synthetic check ${check} is failing`,
    description: `The blackbox probe of ${instance} has failed for ${service.synthetics.alertAfter}.`,
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
