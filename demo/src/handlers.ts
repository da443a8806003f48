/**
 * The business and deliberately broken routes. Each handler draws a plan from the model, plays
 * it, and answers; the broken ones exist so synthetic checks have something to catch.
 */
import { CATALOG, findProduct, searchProducts } from "./catalog.ts";
import { parseCheckout } from "./checkout.ts";
import type { Logger } from "./log.ts";
import { type Fault, type Plan, planCheckout, planGetProduct, planListProducts, planSearch } from "./model.ts";
import { hexId, type Rng } from "./random.ts";
import { json, type Reply } from "./reply.ts";
import type { AppRouteId } from "./router.ts";

export interface HandlerContext {
  params: Record<string, string>;
  query: URLSearchParams;
  readBody(): Promise<string>;
  run(plan: Plan): Promise<Fault | undefined>;
  sleep(ms: number): Promise<void>;
  /** Bound to the request (trace, span, request id, route). */
  log: Logger;
  rng: Rng;
}

export type Handler = (context: HandlerContext) => Promise<Reply>;

/** How long GET /broken/slow takes: past the 1-2 s timeouts synthetic checks typically use. */
export const BROKEN_SLOW_MS = 3_000;

function failed(fault: Fault): Reply {
  return json(fault.status, { error: fault.message }, { fault });
}

export const HANDLERS: Record<AppRouteId, Handler> = {
  async listProducts({ rng, run }) {
    const fault = await run(planListProducts(rng));
    if (fault) return failed(fault);
    return json(200, { products: CATALOG.slice(0, 20), total: CATALOG.length });
  },

  async getProduct({ rng, run, params }) {
    const id = params.id ?? "";
    await run(planGetProduct(rng, id));
    const product = findProduct(id);
    return product ? json(200, product) : json(404, { error: `product ${id} not found` });
  },

  async checkout({ rng, run, readBody, log }) {
    const parsed = parseCheckout(await readBody());
    if (!parsed.ok) return json(parsed.status, { error: parsed.message });
    const { order } = parsed;
    const fault = await run(planCheckout(rng, order));
    // Logging the customer's email and card is the bug real services have; the stack scrubs it.
    if (fault) {
      log.error(`payment failed for ${order.email} with card ${order.card}: ${fault.message}`, { error_type: fault.type });
      return failed(fault);
    }
    const orderId = `ord-${hexId(rng, 12)}`;
    log.info(`payment authorized for ${order.email} with card ${order.card}`, { order_id: orderId, amount_cents: order.amountCents });
    return json(201, { order_id: orderId, amount_cents: order.amountCents });
  },

  async search({ rng, run, query }) {
    const q = query.get("q") ?? "";
    const plan = planSearch(rng, q);
    if (plan.status === 400) return json(400, { error: "query parameter q is required" });
    const fault = await run(plan);
    if (fault) return failed(fault);
    const results = searchProducts(q);
    return json(200, { query: q, results: results.slice(0, 10), total: results.length });
  },

  async brokenStatus() {
    return json(503, { status: "unavailable", reason: "deliberately broken endpoint for synthetic-check tests" });
  },

  async brokenSlow({ sleep }) {
    await sleep(BROKEN_SLOW_MS);
    return json(200, { status: "ok", slept_ms: BROKEN_SLOW_MS });
  },

  async brokenBody() {
    return json(200, { status: "degraded" });
  },
};
