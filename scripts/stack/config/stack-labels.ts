/**
 * The label names the stack sets or queries itself. A service's own label (`services[].labels`) of
 * one of these names would be a duplicate key in its scrape job (an invalid prometheus.yml), or
 * silently replace what the rules, dashboards and routes select by; the schema refuses them. A test
 * keeps this list in step with the labels the rendered files use.
 */
export const STACK_LABELS: Readonly<Record<string, string>> = {
  job: "Prometheus's job label, which the stack's alerts select services by",
  instance: "Prometheus's target label",
  service: "the service's name, set on every series of its scrape job and its probes",
  component: "the stack component a series comes from",
  host: "the host an agent ships from, set by this stack for each of config.hosts",
  instance_name: "the exporter instance a series comes from",
  check: "the synthetic check a probe series belongs to",
  severity: "the severity of the stack's alerts, which the routing tree routes by",
  category: "the category of the stack's alerts, which the routing tree routes by",
  slo: "the objective of the SLO rules",
  long_window: "the long window of the SLO burn-rate alerts",
  short_window: "the short window of the SLO burn-rate alerts",
  direction: "the direction of the anomaly alerts",
  signal: "the signal of the shipped alert rules",
  alertname: "the name of every alert",
  obs_stack_smoke: "the smoke test's own alert route",
  le: "the histogram bucket label the SLO and anomaly rules query (a target label would rename the scraped one to exported_le)",
  quantile: "the summary quantile label (a target label would rename the scraped one to exported_quantile)",
};
