import { describe, expect, it } from "vitest";
import { parseCheckout, type Order } from "../../../demo/src/checkout.ts";
import { FAULT_RATES, LATENCY_MS, type Plan, planCheckout, planDurationMs, planGetProduct, planListProducts, planSearch } from "../../../demo/src/model.ts";
import { createRng } from "../../../demo/src/random.ts";

const SAMPLES = 20_000;

function sample(draw: (rng: ReturnType<typeof createRng>) => Plan, seed = 42): Plan[] {
  const rng = createRng(seed);
  return Array.from({ length: SAMPLES }, () => draw(rng));
}

function share(plans: Plan[], status: number): number {
  return plans.filter((plan) => plan.status === status).length / plans.length;
}

function range(plans: Plan[]): [number, number] {
  const durations = plans.map(planDurationMs);
  return [Math.min(...durations), Math.max(...durations)];
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

const ORDER: Order = (() => {
  const parsed = parseCheckout(JSON.stringify({ email: "a@example.com", card: "4111 1111 1111 1111", items: [{ product_id: 3, quantity: 2 }] }));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.order;
})();

describe("demo latency and error model", () => {
  it("is deterministic for a seed", () => {
    expect(sample(planListProducts, 7).slice(0, 50)).toEqual(sample(planListProducts, 7).slice(0, 50));
    expect(sample(planListProducts, 7)[0]).not.toEqual(sample(planListProducts, 8)[0]);
  });

  it("lists products in 10-60 ms with about 1% database errors", () => {
    const plans = sample(planListProducts);
    const [fastest, slowest] = range(plans);
    expect(fastest).toBeGreaterThanOrEqual(LATENCY_MS.listProducts[0]);
    expect(slowest).toBeLessThanOrEqual(LATENCY_MS.listProducts[1]);
    expect(new Set(plans.map((plan) => plan.steps.map((step) => step.name).join(",")))).toEqual(new Set(["cache.get,db.query"]));
    expect(share(plans, 500)).toBeCloseTo(FAULT_RATES.listProducts.dbError, 2);
    expect(share(plans, 200) + share(plans, 500)).toBe(1);
    const failed = plans.find((plan) => plan.status === 500)!;
    expect(failed.steps.at(-1)?.fault).toMatchObject({ status: 500, type: "DatabaseError" });
  });

  it("answers product lookups in 20-120 ms and 404s exactly the ids outside the catalog", () => {
    const rng = createRng(1);
    for (const id of ["1", "57", "100"]) expect(planGetProduct(rng, id).status).toBe(200);
    for (const id of ["0", "101", "007", "abc", "1e2"]) expect(planGetProduct(rng, id).status).toBe(404);
    const [fastest, slowest] = range(sample((r) => planGetProduct(r, "5")));
    expect(fastest).toBeGreaterThanOrEqual(LATENCY_MS.getProduct[0]);
    expect(slowest).toBeLessThanOrEqual(LATENCY_MS.getProduct[1]);
  });

  it("checks out in 100-700 ms with ~4% 500s from payment and ~1% slow 502s", () => {
    const plans = sample((rng) => planCheckout(rng, ORDER));
    expect(share(plans, 500)).toBeCloseTo(FAULT_RATES.checkout.paymentError, 2);
    expect(share(plans, 502)).toBeCloseTo(FAULT_RATES.checkout.gatewayTimeout, 2);
    expect(share(plans, 201) + share(plans, 500) + share(plans, 502)).toBe(1);
    const succeeded = plans.filter((plan) => plan.status === 201);
    const failed = plans.filter((plan) => plan.status !== 201);
    expect(range(plans)[1]).toBeLessThanOrEqual(LATENCY_MS.checkout[1]);
    expect(range(succeeded)[0]).toBeGreaterThanOrEqual(LATENCY_MS.checkout[0]);
    expect(new Set(succeeded.map((plan) => plan.steps.map((step) => step.name).join(",")))).toEqual(new Set(["db.query,payment.authorize,db.query"]));
    // A failed payment ends the request: no order is written.
    expect(failed.every((plan) => plan.steps.at(-1)?.name === "payment.authorize" && plan.steps.at(-1)?.fault?.status === plan.status)).toBe(true);
    const timeouts = plans.filter((plan) => plan.status === 502).map(planDurationMs);
    const successes = succeeded.map(planDurationMs);
    expect(Math.min(...timeouts)).toBeGreaterThan(quantile(successes, 0.5));
    expect(plans[0]!.steps[1]!.attributes["payment.amount_cents"]).toBe(ORDER.amountCents);
  });

  it("searches in 50-300 ms with a long tail, and rejects an empty query", () => {
    const durations = sample((rng) => planSearch(rng, "oak")).map(planDurationMs);
    expect(Math.min(...durations)).toBeGreaterThanOrEqual(LATENCY_MS.search[0]);
    expect(Math.max(...durations)).toBeLessThanOrEqual(LATENCY_MS.search[1]);
    const median = quantile(durations, 0.5);
    const p99 = quantile(durations, 0.99);
    expect(median).toBeLessThan(120);
    expect(p99).toBeGreaterThan(250);
    expect(planSearch(createRng(1), "  ")).toEqual({ steps: [], status: 400 });
  });
});
