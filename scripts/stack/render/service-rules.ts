/**
 * Alerts on the declared services, with promtool unit tests so the generated rules are proven the
 * same way as the static packs: down, continuous synthetic check failing, and certificates closer to
 * expiry than a check allows. Their `for` durations come from the latency budget
 * (resolve/alert-latency.ts); the down and failing tests prove a one-sample blip stays silent.
 * Down and failing are one rule per `for` shared by its services (a rule per service was most of
 * this file at 1,000 services), each tested on one service per interval and `for`.
 */
import type { RulePackFiles } from "./rule-packs.ts";
import type { ServiceConfig } from "../config/schema.ts";
import type { ServiceTimings } from "../resolve/alert-latency.ts";
import type { HttpSyntheticCheck } from "../resolve/checks.ts";
import { probeJobName } from "../resolve/probes.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";
import { alertTimingTests } from "./alert-timing-tests.ts";
import { groupedBy, servicesMatcher } from "./shared-rules.ts";
import { generatedYaml } from "./templates.ts";

const DAY_SECONDS = 86_400;

export function renderServiceRules(model: ResolvedStack): RulePackFiles | undefined {
  const services = model.config.services.map((service, i) => ({ service, timing: model.timings.services[i]! }));
  const scraped = services.filter(({ service }) => service.metricsPath !== false);
  const continuous = model.enabled.blackbox ? model.checks.flatMap(({ checks }) => checks).filter((check) => check.continuous) : [];
  const withContinuousChecks = new Set(continuous.map((check) => check.service));
  const probed = services.filter(({ service }) => withContinuousChecks.has(service.name));
  const certificates = continuous.filter((check): check is HttpSyntheticCheck => check.kind === "http" && check.expect.certificateDaysLeft !== null);
  if (scraped.length === 0 && probed.length === 0) return undefined;

  const timings = new Map(services.map(({ service, timing }) => [service.name, timing]));
  const certificateFor = (check: HttpSyntheticCheck) => timings.get(check.service)!.certificateFor;
  const downClasses = groupedBy(scraped, ({ timing }) => timing.for.critical);
  const probeClasses = groupedBy(probed, ({ timing }) => timing.alertAfter);
  const groups = [
    ...(scraped.length ? [{ name: "services.up", rules: downClasses.map(serviceDownRule) }] : []),
    ...(probed.length ? [{ name: "services.probes", rules: probeClasses.map(probeFailingRule) }] : []),
    ...(certificates.length ? [{ name: "services.certificates", rules: certificates.map((check) => certificateRule(check, certificateFor(check))) }] : []),
  ];
  const { evaluationInterval } = model.timings;
  const tests = () => ({
    rule_files: ["../services.yml"],
    evaluation_interval: evaluationInterval,
    tests: [
      ...representatives(scraped, ({ timing }) => [timing.scrapeInterval, timing.for.critical]).flatMap((entry) => serviceDownTests(entry, evaluationInterval)),
      ...representatives(probed, ({ timing }) => [timing.probeInterval, timing.alertAfter]).flatMap((entry) => probeFailingTests(entry, evaluationInterval)),
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

const namesOf = (entries: readonly TimedService[]) => entries.map(({ service }) => service.name);

/** The first service of each timing that the shared rules' tests depend on: testing one proves the rule for all. */
const representatives = (entries: readonly TimedService[], timing: (entry: TimedService) => string[]) =>
  groupedBy(entries, (entry) => JSON.stringify(timing(entry))).map((group) => group[0]!);

/** `service` from the job, as the scrape job names it, whatever labels the target has. */
function serviceDownRule(entries: readonly TimedService[]) {
  const holdFor = entries[0]!.timing.for.critical;
  return {
    alert: "ServiceDown",
    expr: `label_replace(up{${servicesMatcher("job", namesOf(entries))}} == 0, "service", "$1", "job", "(.*)")`,
    for: holdFor,
    labels: { severity: "critical", category: "availability" },
    annotations: serviceDownAnnotations("{{ $labels.service }}", "{{ $labels.instance }}", holdFor),
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

function probeFailingRule(entries: readonly TimedService[]) {
  const holdFor = entries[0]!.timing.alertAfter;
  return {
    alert: "HealthProbeFailing",
    expr: `probe_success{${servicesMatcher("service", namesOf(entries))}} == 0`,
    for: holdFor,
    labels: { severity: "warning", category: "availability" },
    annotations: probeFailingAnnotations("{{ $labels.service }}", "{{ $labels.check }}", "{{ $labels.instance }}", holdFor),
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
