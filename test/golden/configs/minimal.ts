// The smallest useful stack: metrics and alerting only, one service.
import { defineStack } from "obs-stack";

export default defineStack({
  project: { name: "minimal" },
  components: {
    grafana: { enabled: false },
    loki: { enabled: false },
    promtail: { enabled: false },
    jaeger: { enabled: false },
    otelCollector: { enabled: false },
    cadvisor: { enabled: false },
    blackbox: { enabled: false },
    pushgateway: { enabled: false },
  },
  services: [{ name: "api", url: "http://host.docker.internal:8080" }],
});
