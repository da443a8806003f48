/**
 * Alerts generated per declared service, with a promtool unit test for each alert so the generated
 * rules are proven the same way as the static packs.
 */
import { stringify } from "yaml";
import type { StackModel } from "../config/model.ts";
import { GENERATED_HEADER } from "./templates.ts";

export function renderServiceRules(model: StackModel): { rules: string; tests: string } | undefined {
  const services = model.config.services;
  if (services.length === 0) return undefined;
  const scraped = services.filter((service) => service.metricsPath !== false);
  const probed = model.enabled.blackbox ? services.filter((service) => Object.values(service.health).some(Boolean)) : [];
  if (scraped.length === 0 && probed.length === 0) return undefined;

  const groups = [
    ...(scraped.length
      ? [
          {
            name: "services.up",
            rules: scraped.map((service) => ({
              alert: "ServiceDown",
              expr: `up{job="${service.name}"} == 0`,
              for: "2m",
              labels: { severity: "critical", category: "availability", service: service.name },
              annotations: serviceDownAnnotations(service.name, "{{ $labels.instance }}"),
            })),
          },
        ]
      : []),
    ...(probed.length
      ? [
          {
            name: "services.probes",
            rules: probed.map((service) => ({
              alert: "HealthProbeFailing",
              expr: `probe_success{service="${service.name}"} == 0`,
              for: "3m",
              labels: { severity: "warning", category: "availability", service: service.name },
              annotations: probeFailingAnnotations(service.name, "{{ $labels.endpoint }}", "{{ $labels.instance }}"),
            })),
          },
        ]
      : []),
  ];

  const tests = {
    rule_files: ["../services.yml"],
    evaluation_interval: "1m",
    tests: [
      ...scraped.map((service) => ({
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
      })),
      ...probed.map((service) => ({
        name: `HealthProbeFailing ${service.name}`,
        interval: "1m",
        input_series: [{ series: `probe_success{service="${service.name}", endpoint="ready", instance="x"}`, values: "1 1 0 0 0 0 0" }],
        alert_rule_test: [
          { eval_time: "3m", alertname: "HealthProbeFailing", exp_alerts: [] },
          {
            eval_time: "6m",
            alertname: "HealthProbeFailing",
            exp_alerts: [
              {
                exp_labels: { severity: "warning", category: "availability", service: service.name, endpoint: "ready", instance: "x" },
                exp_annotations: probeFailingAnnotations(service.name, "ready", "x"),
              },
            ],
          },
        ],
      })),
    ],
  };

  return {
    rules: `${GENERATED_HEADER}\n${stringify({ groups }, { lineWidth: 0, aliasDuplicateObjects: false })}`,
    tests: `${GENERATED_HEADER}\n${stringify(tests, { lineWidth: 0, aliasDuplicateObjects: false })}`,
  };
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

function probeFailingAnnotations(service: string, endpoint: string, instance: string) {
  return {
    summary: `${service} health endpoint ${endpoint} is failing`,
    description: `The blackbox probe of ${instance} has failed for 3 minutes.`,
    runbook_url: "docs/runbooks/health-probe-failing.md",
    dashboard: "/d/synthetics",
  };
}
