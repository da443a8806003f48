import { describe, expect, it } from "vitest";
import { matchRoute, methodLabel, ROUTES, UNMATCHED_ROUTE } from "../../../demo/src/router.ts";

describe("demo route templates", () => {
  it("names a request by its template and extracts parameters", () => {
    expect(matchRoute("GET", "/api/products/42")).toMatchObject({ kind: "found", route: { template: "/api/products/:id" }, params: { id: "42" } });
    expect(matchRoute("GET", "/api/products")).toMatchObject({ kind: "found", route: { id: "listProducts" }, params: {} });
    expect(matchRoute("POST", "/api/checkout")).toMatchObject({ kind: "found", route: { id: "checkout" } });
    expect(matchRoute("GET", "/api/products/caf%C3%A9")).toMatchObject({ params: { id: "café" } });
  });

  it("ignores one trailing slash and serves HEAD as GET", () => {
    expect(matchRoute("GET", "/api/search/")).toMatchObject({ kind: "found", route: { id: "search" } });
    expect(matchRoute("HEAD", "/livez")).toMatchObject({ kind: "found", route: { id: "livez", kind: "probe" } });
  });

  it("reports a known path with the wrong method as 405 material", () => {
    expect(matchRoute("GET", "/api/checkout")).toEqual({ kind: "method", route: expect.objectContaining({ id: "checkout" }), allowed: ["POST"] });
  });

  it("matches nothing for unknown or malformed paths", () => {
    for (const path of ["/", "/api", "/api/products/1/extra", "/api/products//", "/nope"]) expect(matchRoute("GET", path)).toEqual({ kind: "none" });
    expect(matchRoute("GET", "/api/products/%E0%A4%A")).toMatchObject({ params: { id: "%E0%A4%A" } });
    expect(UNMATCHED_ROUTE).not.toMatch(/^\//);
  });

  it("keeps health and metrics endpoints out of the observed routes", () => {
    const probes = ROUTES.filter((route) => route.kind === "probe").map((route) => route.template);
    expect(probes.sort()).toEqual(["/health", "/healthz", "/livez", "/metrics", "/readyz"]);
    const templates = ROUTES.map((route) => route.template);
    expect(new Set(templates).size).toBe(templates.length);
  });

  it("folds unknown methods into _OTHER", () => {
    expect(methodLabel("GET")).toBe("GET");
    expect(methodLabel("PROPFIND")).toBe("_OTHER");
  });
});
