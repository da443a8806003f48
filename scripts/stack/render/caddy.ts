/**
 * proxy/caddy.json: Caddy's native JSON config, built as data and serialized with JSON.stringify.
 * One HTTPS port, one path prefix per component (stripped before the component sees the request),
 * basic auth on everything without a login of its own, OTLP (HTTP and gRPC) to the Collector's
 * receivers that check the bearer token themselves.
 */
import { COLLECTOR_REMOTE_OTLP_GRPC_PORT, COLLECTOR_REMOTE_OTLP_HTTP_PORT } from "../catalog/components/otel-collector.ts";
import { OWN_LOGIN, PROXY_HTTPS_PORT, PROXY_METRICS_PORT, BCRYPT_PREFIX, PROXY_PASSWORD_BCRYPT_ENV } from "../catalog/components/proxy.ts";
import { COMPONENTS, SERVICE_NAMES, type ComponentName } from "../catalog/components.ts";
import { componentBasePath } from "../config/addresses.ts";
import { agentEndpoints } from "../config/agents.ts";
import type { StackModel } from "../config/model.ts";
import { PROXY_PREFIX, ROUTED, proxyHost, type Routed } from "../config/proxy-address.ts";

/** OTLP/HTTP: SDKs append /v1/traces, /v1/metrics and /v1/logs to OTEL_EXPORTER_OTLP_ENDPOINT=<origin>/otlp. */
export const OTLP_HTTP_PREFIX = "/otlp";
/** OTLP/gRPC needs no prefix: its service paths are its own (/opentelemetry.proto.collector.trace.v1.TraceService/Export). */
const OTLP_GRPC_PATHS = "/opentelemetry.proto.collector.*";
/** An RFC 6750 bearer token of one or more token68 characters: the shape, not the secret. */
const BEARER_SHAPE = "^Bearer [A-Za-z0-9._~+/=-]+$";
const USER_CERT_TAG = "user";


type Json = Record<string, unknown>;

const upstream = (name: ComponentName, port: number = COMPONENTS[name].port) => ({ dial: `${SERVICE_NAMES[name]}:${port}` });
const strip = (prefix: string): Json => ({ handler: "rewrite", strip_path_prefix: prefix });
const proxyTo = (upstreams: Json[], transport?: Json): Json => ({ handler: "reverse_proxy", upstreams, ...(transport ? { transport } : {}) });
const respond = (status: number, headers?: Record<string, string[]>): Json => ({ handler: "static_response", status_code: status, ...(headers ? { headers } : {}) });
/** `/x` answers with a redirect to `/x/`, so the bare prefix works in a browser. */
const slashRedirect = (prefix: string): Json => ({ match: [{ path: [prefix] }], handle: [respond(308, { Location: [`${prefix}/`] })], terminal: true });

/** The prefix is stripped unless the component serves under it itself (componentBasePath). */
function componentRoute(model: StackModel, name: Routed): Json[] {
  const prefix = PROXY_PREFIX[name];
  const servedUnderPrefix = componentBasePath(model.config, name) === prefix;
  const handle = [...(servedUnderPrefix ? [] : [strip(prefix)]), proxyTo([upstream(name)])];
  return [slashRedirect(prefix), { match: [{ path: [`${prefix}/*`] }], handle, terminal: true }];
}

/**
 * The Collector's bearertokenauth checks the token, in constant time (Caddy's header matcher
 * compares strings as they come); the proxy never sees it. It only answers 401 itself to a request
 * without a non-empty bearer token, so that nothing reaches the Collector without one, and an
 * empty PROXY_OTLP_TOKEN (which the Collector would read as "Bearer ") can never be matched.
 */
function bearerShaped(handle: Json[]): Json {
  return {
    handler: "subroute",
    routes: [
      { match: [{ header_regexp: { Authorization: { pattern: BEARER_SHAPE } } }], handle, terminal: true },
      { handle: [respond(401, { "Www-Authenticate": ['Bearer realm="otlp"'] })], terminal: true },
    ],
  };
}

/** To the Collector's token-checking receivers, which only the proxy reaches (they are not published). */
function otlpRoutes(model: StackModel): Json[] {
  if (!model.enabled.otelCollector) return [];
  return [
    {
      match: [{ path: [`${OTLP_HTTP_PREFIX}/*`] }],
      handle: [bearerShaped([strip(OTLP_HTTP_PREFIX), proxyTo([upstream("otelCollector", COLLECTOR_REMOTE_OTLP_HTTP_PORT)])])],
      terminal: true,
    },
    {
      match: [{ path: [OTLP_GRPC_PATHS] }],
      handle: [bearerShaped([proxyTo([upstream("otelCollector", COLLECTOR_REMOTE_OTLP_GRPC_PORT)], { protocol: "http", versions: ["h2c"] })])],
      terminal: true,
    },
  ];
}

/**
 * Each agent host's route ends at its own receiver, which accepts only that host's token: a host
 * cannot ship as another. OTLP/HTTP only (gRPC's service paths leave no room for a per-host prefix).
 */
function agentRoutes(model: StackModel): Json[] {
  return agentEndpoints(model).map(({ routePrefix, receiverPort }) => ({
    match: [{ path: [`${routePrefix}/*`] }],
    handle: [bearerShaped([strip(routePrefix), proxyTo([upstream("otelCollector", receiverPort)])])],
    terminal: true,
  }));
}

/** Everything else needs the basic auth first: the components without a login, and a 404 for any other path. */
function basicAuthRoute(model: StackModel): Json {
  const routed = ROUTED.filter((name) => model.enabled[name] && !OWN_LOGIN.includes(name));
  return {
    handle: [
      {
        handler: "authentication",
        providers: {
          http_basic: {
            hash: { algorithm: "bcrypt" },
            accounts: [{ username: model.config.components.proxy.user, password: `${BCRYPT_PREFIX}{env.${PROXY_PASSWORD_BCRYPT_ENV}}` }],
            realm: "obs-stack",
            // A right password is checked with bcrypt once, not on every request of a UI.
            hash_cache: {},
          },
        },
      },
      { handler: "subroute", routes: [...routed.flatMap((name) => componentRoute(model, name)), { handle: [respond(404)], terminal: true }] },
    ],
    terminal: true,
  };
}

/** The user's certificate, or Caddy's internal CA issuing one for the host name clients use. */
function tlsApp(model: StackModel): Json {
  const host = proxyHost(model.config);
  const { tls } = model.config.components.proxy;
  // Mounted at the same paths in the container (see the definition's hostFile).
  if (tls) return { certificates: { load_files: [{ certificate: tls.certFile, key: tls.keyFile, tags: [USER_CERT_TAG] }] } };
  return {
    certificates: { automate: [host] },
    automation: { policies: [{ subjects: [host], issuers: [{ module: "internal" }] }] },
  };
}

export function caddyConfig(model: StackModel): Json {
  const { config } = model;
  const host = proxyHost(config);
  const userCert = config.components.proxy.tls !== undefined;
  const ownLogin = ROUTED.filter((name) => model.enabled[name] && OWN_LOGIN.includes(name));
  return {
    // The admin API stays on the container's loopback; nothing is saved, the file is the config.
    admin: { listen: "localhost:2019", config: { persist: false } },
    apps: {
      http: {
        servers: {
          exposure: {
            listen: [`:${PROXY_HTTPS_PORT}`],
            // h2 carries OTLP/gRPC; no h3, which would need a UDP port as well.
            protocols: ["h1", "h2"],
            routes: [...ownLogin.flatMap((name) => componentRoute(model, name)), ...otlpRoutes(model), ...agentRoutes(model), basicAuthRoute(model)],
            // Clients that send no server name (an IP address) get the certificate of the configured host.
            tls_connection_policies: [{ default_sni: host, ...(userCert ? { certificate_selection: { any_tag: [USER_CERT_TAG] } } : {}) }],
            // No port 80, no redirects, no certificates for names it would guess: this file says what to serve.
            automatic_https: { disable: true },
          },
          metrics: {
            listen: [`:${PROXY_METRICS_PORT}`],
            routes: [{ handle: [{ handler: "metrics" }] }],
            automatic_https: { disable: true },
          },
        },
      },
      tls: tlsApp(model),
      // The internal CA's root is exported by the user (README); it is never installed in the container.
      ...(userCert ? {} : { pki: { certificate_authorities: { local: { install_trust: false } } } }),
    },
  };
}

export function renderCaddyConfig(model: StackModel): string {
  return `${JSON.stringify(caddyConfig(model), null, 2)}\n`;
}
