/** The demo shop's product catalog: fixed, generated, and small enough to live in memory. */
export interface Product {
  id: number;
  name: string;
  price_cents: number;
}

const ADJECTIVES = ["Oak", "Steel", "Linen", "Walnut", "Ceramic", "Copper", "Wool", "Glass", "Bamboo", "Marble"];
const NOUNS = ["Desk", "Chair", "Lamp", "Mug", "Shelf", "Rug", "Vase", "Stool", "Clock", "Bench"];

export const PRODUCT_COUNT = 100;

export const CATALOG: readonly Product[] = Array.from({ length: PRODUCT_COUNT }, (_, index) => ({
  id: index + 1,
  name: `${ADJECTIVES[index % ADJECTIVES.length]} ${NOUNS[Math.floor(index / ADJECTIVES.length) % NOUNS.length]}`,
  price_cents: 990 + ((index * 7919) % 40000),
}));

/** Only canonical positive integers name a product: "007" or "1e2" are not ids. */
export function findProduct(id: string): Product | undefined {
  if (!/^[1-9]\d{0,8}$/.test(id)) return undefined;
  return CATALOG[Number(id) - 1];
}

export function searchProducts(query: string): Product[] {
  const needle = query.trim().toLowerCase();
  return CATALOG.filter((product) => product.name.toLowerCase().includes(needle));
}
