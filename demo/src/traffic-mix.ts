/**
 * What the background traffic asks for: the route mix, product ids that sometimes miss (404),
 * search words, and checkouts carrying customer emails and test card numbers, which the service
 * then logs so the stack's PII scrubbing has something to scrub.
 */
import { PRODUCT_COUNT } from "./catalog.ts";
import { integerBetween, pick, weighted, type Rng } from "./random.ts";

export interface TrafficRequest {
  method: "GET" | "POST";
  path: string;
  body?: string;
}

const SEARCH_WORDS = ["oak", "lamp", "steel chair", "mug", "walnut", "glass vase", "rug", "clock", "bench", "copper"];
export const CUSTOMERS = ["jane.doe@example.com", "omar.haddad@example.org", "li.wei@example.net", "sam.taylor@example.com"];
/** Well-known payment test numbers: never real cards. */
export const TEST_CARDS = ["4111 1111 1111 1111", "5555 5555 5555 4444", "4000 0566 5566 5556"];

/** Ids above the catalog size miss: about 9% of product lookups are 404s. */
const PRODUCT_ID_RANGE = Math.round(PRODUCT_COUNT * 1.1);

const MIX = [
  ["list", 35],
  ["product", 30],
  ["search", 25],
  ["checkout", 10],
] as const;

export function nextTrafficRequest(rng: Rng): TrafficRequest {
  switch (weighted(rng, MIX)) {
    case "list":
      return { method: "GET", path: "/api/products" };
    case "product":
      return { method: "GET", path: `/api/products/${integerBetween(rng, 1, PRODUCT_ID_RANGE)}` };
    case "search":
      return { method: "GET", path: `/api/search?q=${encodeURIComponent(pick(rng, SEARCH_WORDS))}` };
    case "checkout": {
      const items = Array.from({ length: integerBetween(rng, 1, 3) }, () => ({
        product_id: integerBetween(rng, 1, PRODUCT_COUNT),
        quantity: integerBetween(rng, 1, 3),
      }));
      return { method: "POST", path: "/api/checkout", body: JSON.stringify({ email: pick(rng, CUSTOMERS), card: pick(rng, TEST_CARDS), items }) };
    }
  }
}
