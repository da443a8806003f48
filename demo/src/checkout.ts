/** Validates a checkout request body into an order the payment step can price. */
import { findProduct } from "./catalog.ts";

export interface Order {
  email: string;
  card: string;
  items: Array<{ productId: number; quantity: number }>;
  amountCents: number;
}

export type CheckoutParse = { ok: true; order: Order } | { ok: false; status: 400 | 422; message: string };

const EXPECTED = 'expected {"email": string, "card": string, "items": [{"product_id": number, "quantity": number}]}';

function invalid(message: string): CheckoutParse {
  return { ok: false, status: 400, message: `${message}; ${EXPECTED}` };
}

export function parseCheckout(body: string): CheckoutParse {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return invalid("body is not JSON");
  }
  if (typeof value !== "object" || value === null) return invalid("body is not an object");
  const { email, card, items } = value as Record<string, unknown>;
  if (typeof email !== "string" || !email.includes("@")) return invalid("email is missing or not an address");
  if (typeof card !== "string" || card.replace(/\D/g, "").length < 12) return invalid("card is missing or too short");
  if (!Array.isArray(items) || items.length === 0) return invalid("items must be a non-empty list");

  const order: Order = { email, card, items: [], amountCents: 0 };
  for (const item of items as unknown[]) {
    const { product_id: productId, quantity } = (item ?? {}) as Record<string, unknown>;
    if (!Number.isInteger(productId) || !Number.isInteger(quantity) || (quantity as number) < 1) {
      return invalid("each item needs an integer product_id and a quantity >= 1");
    }
    const product = findProduct(String(productId));
    if (!product) return { ok: false, status: 422, message: `product ${String(productId)} does not exist` };
    order.items.push({ productId: product.id, quantity: quantity as number });
    order.amountCents += product.price_cents * (quantity as number);
  }
  return { ok: true, order };
}
