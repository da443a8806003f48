/**
 * The route table and matching. Metrics, spans and logs are labelled with a route's template
 * (`/api/products/:id`), never the raw path, so label cardinality stays bounded.
 */
/** Routes that are traced, measured and logged. */
export type AppRouteId = "listProducts" | "getProduct" | "checkout" | "search" | "brokenStatus" | "brokenSlow" | "brokenBody";
/** Health and metrics endpoints: served, but kept out of traces, the histogram and the access log. */
export type ProbeRouteId = "livez" | "healthz" | "readyz" | "health" | "metrics";

interface RouteShape {
  method: "GET" | "POST";
  template: string;
}

export type Route = RouteShape & ({ kind: "app"; id: AppRouteId } | { kind: "probe"; id: ProbeRouteId });

export const ROUTES: readonly Route[] = [
  { id: "listProducts", method: "GET", template: "/api/products", kind: "app" },
  { id: "getProduct", method: "GET", template: "/api/products/:id", kind: "app" },
  { id: "checkout", method: "POST", template: "/api/checkout", kind: "app" },
  { id: "search", method: "GET", template: "/api/search", kind: "app" },
  { id: "brokenStatus", method: "GET", template: "/broken/status", kind: "app" },
  { id: "brokenSlow", method: "GET", template: "/broken/slow", kind: "app" },
  { id: "brokenBody", method: "GET", template: "/broken/body", kind: "app" },
  { id: "livez", method: "GET", template: "/livez", kind: "probe" },
  { id: "healthz", method: "GET", template: "/healthz", kind: "probe" },
  { id: "readyz", method: "GET", template: "/readyz", kind: "probe" },
  { id: "health", method: "GET", template: "/health", kind: "probe" },
  { id: "metrics", method: "GET", template: "/metrics", kind: "probe" },
];

/** The `http_route` of a request that matched no route (one value, whatever the path was). */
export const UNMATCHED_ROUTE = "unmatched";

export type RouteMatch =
  | { kind: "found"; route: Route; params: Record<string, string> }
  /** The path exists but not for this method (405). */
  | { kind: "method"; route: Route; allowed: string[] }
  | { kind: "none" };

/** A malformed escape (`%E0%A4`) stays as typed: it then simply names nothing. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const expected = template.split("/");
  const actual = path.split("/");
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of expected.entries()) {
    const segment = actual[index] ?? "";
    if (part.startsWith(":")) {
      if (segment === "") return undefined;
      params[part.slice(1)] = decodeSegment(segment);
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}

/** Matches a path (no query string); HEAD is served as GET, and one trailing slash is ignored. */
export function matchRoute(method: string, path: string): RouteMatch {
  const normalized = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  const effective = method === "HEAD" ? "GET" : method;
  const candidates = ROUTES.flatMap((route) => {
    const params = matchTemplate(route.template, normalized);
    return params ? [{ route, params }] : [];
  });
  const exact = candidates.find((candidate) => candidate.route.method === effective);
  if (exact) return { kind: "found", ...exact };
  const first = candidates[0];
  if (first) return { kind: "method", route: first.route, allowed: candidates.map((candidate) => candidate.route.method) };
  return { kind: "none" };
}

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"]);

/** The `http_request_method` label: any other method becomes `_OTHER` (OpenTelemetry's rule), so clients cannot mint label values. */
export function methodLabel(method: string): string {
  return KNOWN_METHODS.has(method) ? method : "_OTHER";
}
