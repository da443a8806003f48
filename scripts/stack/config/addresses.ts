/** Where a person on the stack's host reaches each component, and what it publishes: derived from the config alone. */
import type { Protocol } from "../catalog/component-definition.ts";
import { definitionOf, type ComponentName } from "../catalog/components.ts";
import { componentRuns } from "./model.ts";
import { PROXY_PREFIX, proxyOrigin } from "./proxy-address.ts";
import type { StackConfig } from "./schema.ts";

/** The Fluent Forward port is published on loopback only: the Docker daemon on this host is its one client. */
export const FLUENT_BIND_ADDRESS = "127.0.0.1";

/** The URL a person opens for a component, from the host: a wildcard bind is reached as localhost. */
export function componentUrl(config: StackConfig, name: ComponentName): string {
  if (name === "proxy") return `${proxyOrigin(config)}/`;
  const component = config.components[name];
  const address = component.bindAddress ?? config.bindAddress;
  const host = address === "0.0.0.0" || address === "::" ? "localhost" : address.includes(":") ? `[${address}]` : address;
  return `http://${host}:${component.port}${componentBasePath(config, name)}`;
}

/**
 * The path a component serves its UI and API under, on every port (empty: the root); every caller,
 * on the host or on the stack's network, builds its URLs with it. Jaeger moves under the proxy's
 * prefix when the proxy runs: its pages load their assets by absolute path, which only its own
 * base_path changes. The other components keep serving at the root, the proxy stripping its prefix.
 */
export function componentBasePath(config: StackConfig, name: ComponentName): string {
  return name === "jaeger" && componentRuns(config, "proxy") ? PROXY_PREFIX.jaeger : "";
}

/** One port a component publishes on the host; `path` is the config field that sets its number. */
export interface HostPort {
  path: string;
  address: string;
  host: number;
  container: number;
  protocol: Protocol;
}

/** The main port and the definition's extra ports, on the component's bind address. */
export function componentHostPorts(config: StackConfig, name: ComponentName): HostPort[] {
  const settings: Readonly<Record<string, unknown>> = config.components[name];
  const address = config.components[name].bindAddress ?? config.bindAddress;
  const { port, extraPorts } = definitionOf(name);
  return [
    { path: `components.${name}.port`, address, host: config.components[name].port, container: port, protocol: "tcp" as const },
    ...extraPorts.flatMap((extra) =>
      extra.protocols.map((protocol) => ({ path: `components.${name}.${extra.setting}`, address, host: settings[extra.setting] as number, container: extra.container, protocol })),
    ),
  ];
}
