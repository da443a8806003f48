/** Fixed Grafana datasource uids: dashboards and correlations refer to these, never to `${DS_...}` inputs. */
export const DATASOURCE_UIDS = {
  prometheus: "prometheus",
  loki: "loki",
  jaeger: "jaeger",
  alertmanager: "alertmanager",
} as const;
