/**
 * The latency and error model: for each business route, which downstream calls a request makes,
 * how long each takes and how often one fails. Plans are pure data drawn from a seeded Rng; the
 * plan runner turns them into child spans and real waiting.
 */
import { findProduct } from "./catalog.ts";
import type { Order } from "./checkout.ts";
import { between, chance, type Rng } from "./random.ts";

export type AttributeValue = string | number | boolean;

/** A failed downstream call: the exception recorded on the spans and the status the client gets. */
export interface Fault {
  status: 500 | 502;
  type: string;
  message: string;
}

export interface Step {
  /** Span name of the downstream call. */
  name: "cache.get" | "db.query" | "payment.authorize" | "search.query";
  durationMs: number;
  attributes: Record<string, AttributeValue>;
  /** Set on the last step of a failing plan. */
  fault?: Fault;
}

export interface Plan {
  steps: Step[];
  /** The response status: a fault's status when the plan fails. */
  status: number;
}

/** Probabilities, per request, of each route's failure modes (the dashboards' expected error mix). */
export const FAULT_RATES = {
  listProducts: { dbError: 0.01 },
  checkout: { paymentError: 0.04, gatewayTimeout: 0.01 },
} as const;

/** Latency bounds of whole requests, in ms, before the server's own small overhead. */
export const LATENCY_MS = {
  listProducts: [10, 60],
  getProduct: [20, 120],
  checkout: [100, 700],
  search: [50, 300],
} as const;

function cacheGet(rng: Rng, key: string, hitRate: number): Step {
  return {
    name: "cache.get",
    durationMs: between(rng, 1, 5),
    attributes: { "db.system.name": "redis", "db.operation.name": "GET", "cache.key": key, "cache.hit": chance(rng, hitRate) },
  };
}

function dbQuery(rng: Rng, query: string, [min, max]: readonly [number, number], fault?: Fault): Step {
  const operation = query.split(" ", 1)[0] ?? "";
  return {
    name: "db.query",
    durationMs: between(rng, min, max, 1.5),
    attributes: { "db.system.name": "postgresql", "db.namespace": "shop", "db.operation.name": operation, "db.query.text": query },
    ...(fault ? { fault } : {}),
  };
}

function finish(steps: Step[], okStatus: number): Plan {
  return { steps, status: steps.at(-1)?.fault?.status ?? okStatus };
}

/** GET /api/products: the listing is cached, stock levels are not (10-60 ms, ~1% 500). */
export function planListProducts(rng: Rng): Plan {
  const dbError = chance(rng, FAULT_RATES.listProducts.dbError);
  const fault: Fault | undefined = dbError
    ? { status: 500, type: "DatabaseError", message: "remaining connection slots are reserved for non-replication superuser connections" }
    : undefined;
  return finish([cacheGet(rng, "products:list", 0.8), dbQuery(rng, "SELECT product_id, stock FROM inventory", [9, 55], fault)], 200);
}

/** GET /api/products/:id (20-120 ms, 404 for an id that is not in the catalog). */
export function planGetProduct(rng: Rng, id: string): Plan {
  const found = findProduct(id) !== undefined;
  return finish([cacheGet(rng, `product:${id}`, 0.5), dbQuery(rng, "SELECT * FROM products WHERE id = $1", [19, 115])], found ? 200 : 404);
}

/** POST /api/checkout: reserve stock, authorize payment, write the order (100-700 ms, ~4% 500, ~1% 502). */
export function planCheckout(rng: Rng, order: Order): Plan {
  const steps = [dbQuery(rng, "UPDATE inventory SET reserved = reserved + $1 WHERE product_id = $2", [15, 60])];
  const payment = { "peer.service": "payments", "server.address": "payments.internal", "payment.amount_cents": order.amountCents };
  const roll = rng();
  if (roll < FAULT_RATES.checkout.gatewayTimeout) {
    // A timeout waits out the client's patience: these are the slowest checkouts.
    const fault: Fault = { status: 502, type: "GatewayTimeout", message: "payments.internal did not answer within 500ms" };
    return finish([...steps, { name: "payment.authorize", durationMs: between(rng, 500, 560), attributes: payment, fault }], 201);
  }
  const authorize: Step = { name: "payment.authorize", durationMs: between(rng, 70, 560, 2), attributes: payment };
  if (roll < FAULT_RATES.checkout.gatewayTimeout + FAULT_RATES.checkout.paymentError) {
    const fault: Fault = { status: 500, type: "PaymentError", message: "payment provider returned an unreadable authorization response" };
    return finish([...steps, { ...authorize, fault }], 201);
  }
  return finish([...steps, authorize, dbQuery(rng, "INSERT INTO orders (email, amount_cents) VALUES ($1, $2)", [15, 80])], 201);
}

/** GET /api/search?q= (50-300 ms with a long tail; 400 without a query). */
export function planSearch(rng: Rng, query: string): Plan {
  if (query.trim() === "") return { steps: [], status: 400 };
  return finish(
    [
      cacheGet(rng, `search:${query.trim().toLowerCase()}`, 0.1),
      {
        name: "search.query",
        durationMs: between(rng, 49, 295, 3),
        attributes: { "db.system.name": "elasticsearch", "db.operation.name": "search", "db.namespace": "products" },
      },
    ],
    200,
  );
}

export function planDurationMs(plan: Plan): number {
  return plan.steps.reduce((sum, step) => sum + step.durationMs, 0);
}
