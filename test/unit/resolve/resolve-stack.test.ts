import { describe, expect, it } from "vitest";
import { issuesOf, modelOf } from "../../helpers/parse.ts";

const api = { name: "api", url: "http://api:8080", health: { ready: "/readyz" }, slo: { availability: 0.99 } };

describe("resolveStack", () => {
  it("derives checks, probe jobs, SLO objectives and k6 scripts service by service", () => {
    const model = modelOf({ services: [api, { name: "cache", url: "http://cache:6379", synthetics: { tcp: [{ name: "port", address: "cache:6379" }] } }] });
    expect(model.checks.map(({ service, checks }) => [service.name, checks.map((check) => check.name)])).toEqual([
      ["api", ["ready"]],
      ["cache", ["port"]],
    ]);
    expect(model.probes.map((probe) => probe.jobName)).toEqual(["probe-api-ready", "probe-cache-port"]);
    expect(model.objectives.map((objective) => `${objective.service}/${objective.slo}`)).toEqual(["api/availability"]);
    // k6 speaks HTTP only: a service with TCP checks alone gets no script.
    expect(model.k6Scripts.map((script) => script.file)).toEqual(["api.ts"]);
  });

  it("keeps the checks of two services that share a name apart: the repeated name is the one problem", () => {
    expect(issuesOf({ services: [api, api] }).map((issue) => `${issue.path}: ${issue.message}`)).toEqual([
      expect.stringMatching(/^services\[1\]\.name: duplicate service name "api"/),
    ]);
  });
});
