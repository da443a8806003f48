import { describe, expect, it } from "vitest";
import { PRODUCT_COUNT } from "../../../demo/src/catalog.ts";
import { parseCheckout } from "../../../demo/src/checkout.ts";
import { createRng } from "../../../demo/src/random.ts";
import { matchRoute } from "../../../demo/src/router.ts";
import { CUSTOMERS, nextTrafficRequest, TEST_CARDS } from "../../../demo/src/traffic-mix.ts";

describe("background traffic mix", () => {
  const rng = createRng(3);
  const requests = Array.from({ length: 5_000 }, () => nextTrafficRequest(rng));

  it("only calls the business routes, in the intended proportions", () => {
    const byRoute = new Map<string, number>();
    for (const request of requests) {
      const match = matchRoute(request.method, new URL(request.path, "http://demo").pathname);
      expect(match.kind).toBe("found");
      if (match.kind !== "found") continue;
      expect(match.route.template).toMatch(/^\/api\//);
      byRoute.set(match.route.template, (byRoute.get(match.route.template) ?? 0) + 1);
    }
    expect((byRoute.get("/api/products") ?? 0) / requests.length).toBeCloseTo(0.35, 1);
    expect((byRoute.get("/api/checkout") ?? 0) / requests.length).toBeCloseTo(0.1, 1);
  });

  it("sends checkouts the service accepts, carrying an email and a test card number", () => {
    const checkouts = requests.filter((request) => request.method === "POST");
    expect(checkouts.length).toBeGreaterThan(0);
    for (const checkout of checkouts) {
      const parsed = parseCheckout(checkout.body ?? "");
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) continue;
      expect(CUSTOMERS).toContain(parsed.order.email);
      expect(TEST_CARDS).toContain(parsed.order.card);
    }
  });

  it("asks for some products that do not exist, so 404s show up", () => {
    const ids = requests.flatMap((request) => /^\/api\/products\/(\d+)$/.exec(request.path)?.[1] ?? []).map(Number);
    const missing = ids.filter((id) => id > PRODUCT_COUNT).length / ids.length;
    expect(missing).toBeGreaterThan(0.04);
    expect(missing).toBeLessThan(0.15);
  });
});

describe("checkout bodies", () => {
  it("explains what a valid body looks like", () => {
    expect(parseCheckout("not json")).toMatchObject({ ok: false, status: 400, message: expect.stringContaining("expected {") });
    expect(parseCheckout(JSON.stringify({ email: "a@b.c", card: "4111111111111111", items: [{ product_id: 999, quantity: 1 }] }))).toEqual({
      ok: false,
      status: 422,
      message: "product 999 does not exist",
    });
  });
});
