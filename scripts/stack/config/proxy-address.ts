/** Where clients reach the proxy (components.proxy): derived from the config alone. */
import type { ComponentName } from "../catalog/components.ts";
import type { StackModel } from "./model.ts";
import type { StackConfig } from "./schema.ts";

/** The UIs and APIs the proxy serves, each under its path prefix. */
export const PROXY_PREFIX = {
  grafana: "/grafana",
  prometheus: "/prometheus",
  alertmanager: "/alertmanager",
  jaeger: "/jaeger",
  pushgateway: "/pushgateway",
} as const satisfies Partial<Record<ComponentName, string>>;

export type Routed = keyof typeof PROXY_PREFIX;
export const ROUTED = Object.keys(PROXY_PREFIX) as Routed[];
const isRouted = (name: ComponentName): name is Routed => (ROUTED as readonly ComponentName[]).includes(name);

/** Where a component is reached through the proxy, with a trailing slash; null when the proxy does not serve it. */
export function proxiedUrl(model: Pick<StackModel, "config" | "enabled">, name: ComponentName): string | null {
  if (!model.enabled.proxy || !isRouted(name) || !model.enabled[name]) return null;
  return `${proxyOrigin(model.config)}${PROXY_PREFIX[name]}/`;
}

/** The name clients reach the proxy by: the configured host name, else its bind address (localhost for a wildcard). */
export function proxyHost(config: StackConfig): string {
  const { hostname, bindAddress } = config.components.proxy;
  if (hostname) return hostname;
  const address = bindAddress ?? config.bindAddress;
  return address === "0.0.0.0" || address === "::" ? "localhost" : address;
}

/** `https://<host>:<published port>`, an IPv6 address in brackets. */
export function proxyOrigin(config: StackConfig): string {
  const host = proxyHost(config);
  return `https://${host.includes(":") ? `[${host}]` : host}:${config.components.proxy.port}`;
}
