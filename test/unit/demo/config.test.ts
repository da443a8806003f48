import { describe, expect, it } from "vitest";
import { DemoConfigError, loadConfig } from "../../../demo/src/config.ts";
import { wantsOpenMetrics } from "../../../demo/src/metrics-contract.ts";

describe("demo configuration", () => {
  it("defaults to the stack's wiring", () => {
    expect(loadConfig({})).toEqual({ port: 8080, serviceName: "demo", tracesEndpoint: "http://otel-collector:4318/v1/traces", trafficRps: 5, logLevel: "info" });
  });

  it("follows OTLP's endpoint rules and reads every variable", () => {
    const config = loadConfig({ PORT: "9000", OTEL_SERVICE_NAME: "shop", OTEL_EXPORTER_OTLP_ENDPOINT: "http://jaeger:4318/", DEMO_TRAFFIC_RPS: "0", LOG_LEVEL: "DEBUG" });
    expect(config).toEqual({ port: 9000, serviceName: "shop", tracesEndpoint: "http://jaeger:4318/v1/traces", trafficRps: 0, logLevel: "debug" });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://c:4318/custom" }).tracesEndpoint).toBe("http://c:4318/custom");
  });

  it("rejects bad values with a hint", () => {
    for (const env of [{ PORT: "http" }, { PORT: "70000" }, { DEMO_TRAFFIC_RPS: "-1" }, { LOG_LEVEL: "loud" }, { OTEL_EXPORTER_OTLP_ENDPOINT: "otel:4318" }]) {
      const error = (() => {
        try {
          loadConfig(env);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(DemoConfigError);
      expect((error as DemoConfigError).hint).not.toBe("");
    }
  });
});

describe("/metrics format negotiation", () => {
  it("serves OpenMetrics (with exemplars) to Prometheus's default Accept header", () => {
    const prometheus3 =
      "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
    expect(wantsOpenMetrics(prometheus3)).toBe(true);
  });

  it("serves the classic text format to everything else", () => {
    for (const accept of [undefined, "", "*/*", "text/plain;version=0.0.4", "application/openmetrics-text;q=0"]) expect(wantsOpenMetrics(accept)).toBe(false);
  });
});
