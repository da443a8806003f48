/**
 * Synthetic checks: blackbox probes running continuously (jobs `probe-<service>-<endpoint>` with
 * labels service, endpoint or check, instance = the URL) and k6 runs from `npm run synthetics`,
 * written by k6's experimental-prometheus-rw output (checked against k6 v2.2.0: trends become one
 * gauge per stat, `k6_<metric>_<stat>`, in seconds; counters `_total`, rates `_rate`; runs are
 * tagged with `service` and `testid`). HealthProbeFailing and the synthetics rule pack link here.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import type { DashboardContext } from "./lib/context.ts";
import { type BuiltDashboard, DashboardDraft } from "./lib/draft.ts";
import { barGaugePanel, crossLinks, healthMappings, statPanel, tablePanel, thresholds, timeseriesPanel } from "./lib/panels.ts";
import { prom } from "./lib/queries.ts";
import { promLabelValues, type Variable } from "./lib/variables.ts";

const PROBES = 'job=~"probe-.*", service=~"$service"';
const RUNS = 'service=~"$service", testid=~"$testid"';
const K6_ONLY = "k6 results exist only after `npm run synthetics` has run.";
const NO_PROBES = "No declared service has health endpoints or checks to probe.";

export function synthetics(context: DashboardContext): BuiltDashboard {
  const probed = context.probes ? true : NO_PROBES;
  // "All" is .* here: custom probes may carry no service label.
  const service = context.enabled.blackbox
    ? promLabelValues("service", 'probe_success{job=~"probe-.*"}', { label: "Service", allValue: ".*", expectsData: probed })
    : promLabelValues("service", "k6_http_reqs_total", { label: "Service", allValue: ".*", expectsData: K6_ONLY });
  const variables: Variable[] = [service, promLabelValues("testid", `k6_http_reqs_total{service=~"$service"}`, { label: "k6 run", allValue: ".*", expectsData: K6_ONLY })];
  const draft = new DashboardDraft("synthetics", {
    title: "Synthetics",
    description: "Blackbox probes of the declared services' health endpoints and checks, and the results of k6 runs.",
    refresh: "1m",
    from: "now-6h",
    variables,
  });

  if (context.enabled.blackbox)
    draft
      .row("Probes (blackbox)")
      .panel(
        statPanel("Probe status", { unit: units.NoUnit, mappings: healthMappings("OK", "FAILING"), thresholds: thresholds("red", [1, "green"]) }).links(
          crossLinks(context, [["Service overview", "service-overview"]], "${service:queryparam}"),
        ),
        [prom(`probe_success{${PROBES}}`, { legend: "{{job}}", instant: true, expectsData: probed })],
        { w: 24, h: 4 },
      )
      .panel(
        timeseriesPanel("Probe duration", { unit: units.Seconds, min: 0, description: "Whole probe; SyntheticProbeSlow fires above 2s on average." }),
        [prom(`probe_duration_seconds{${PROBES}}`, { legend: "{{job}}", expectsData: probed })],
        { w: 12, h: 8 },
      )
      .panel(
        timeseriesPanel("HTTP probe phases", { unit: units.Seconds, min: 0, stacked: true, description: "Where the time goes: resolve, connect, tls, processing, transfer." }),
        [prom(`sum by (job, phase) (probe_http_duration_seconds{${PROBES}})`, { legend: "{{job}} {{phase}}", expectsData: probed })],
        { w: 12, h: 8 },
      )
      .panel(
        tablePanel("HTTP status codes").withTransformation({ id: "organize", options: { excludeByName: { Time: true, __name__: true }, renameByName: { Value: "status" } } }),
        [prom(`probe_http_status_code{${PROBES}}`, { instant: true, table: true, expectsData: probed })],
        { w: 12, h: 8 },
      )
      .panel(
        barGaugePanel("TLS certificate expires in", {
          unit: units.Days,
          min: 0,
          description: "Days until the earliest certificate in the chain expires (TlsCertificateExpiringSoon: 14 and 3 days).",
          thresholds: thresholds("red", [3, "orange"], [14, "green"]),
        }),
        [prom(`(min by (instance) (probe_ssl_earliest_cert_expiry{${PROBES}}) - time()) / 86400`, { legend: "{{instance}}", instant: true, expectsData: "Only HTTPS targets report a certificate." })],
        { w: 12, h: 8 },
      );

  return draft
    .row("Load tests (k6)")
    .panel(
      // A check run lasts seconds, too short for rate(): the run's cumulative count is what shows.
      timeseriesPanel("k6 requests per run", { unit: units.NoUnit, min: 0 }),
      [prom(`sum by (service, testid) (k6_http_reqs_total{${RUNS}})`, { legend: "{{service}} {{testid}}", expectsData: K6_ONLY })],
      { w: 6, h: 8 },
    )
    .panel(
      timeseriesPanel("k6 request duration", { unit: units.Seconds, min: 0 }),
      [
        prom(`max by (service) (k6_http_req_duration_p95{${RUNS}})`, { legend: "{{service}} p95", expectsData: K6_ONLY }),
        prom(`max by (service) (k6_http_req_duration_p99{${RUNS}})`, { legend: "{{service}} p99", expectsData: K6_ONLY }),
        prom(`avg by (service) (k6_http_req_duration_avg{${RUNS}})`, { legend: "{{service}} avg", expectsData: K6_ONLY }),
      ],
      { w: 6, h: 8 },
    )
    .panel(
      timeseriesPanel("k6 failed requests and checks", { unit: units.PercentUnit, min: 0, max: 1 }),
      [
        prom(`avg by (service) (k6_http_req_failed_rate{${RUNS}})`, { legend: "{{service}} failed requests", expectsData: K6_ONLY }),
        prom(`avg by (service) (k6_checks_rate{${RUNS}})`, { legend: "{{service}} checks passed", expectsData: K6_ONLY }),
      ],
      { w: 6, h: 8 },
    )
    .panel(
      timeseriesPanel("k6 virtual users", { unit: units.NoUnit, min: 0 }),
      [prom(`sum by (service) (k6_vus{${RUNS}})`, { legend: "{{service}}", expectsData: K6_ONLY })],
      { w: 6, h: 8 },
    )
    .build();
}
