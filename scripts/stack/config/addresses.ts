/** Where a person on the stack's host reaches each component: derived from the config alone. */
import type { ComponentName } from "../catalog/components.ts";
import type { StackConfig } from "./schema.ts";

/** The Fluent Forward port is published on loopback only: the Docker daemon on this host is its one client. */
export const FLUENT_BIND_ADDRESS = "127.0.0.1";

/** The URL a person opens for a component, from the host: a wildcard bind is reached as localhost. */
export function componentUrl(config: StackConfig, name: ComponentName): string {
  const component = config.components[name];
  const address = component.bindAddress ?? config.bindAddress;
  const host = address === "0.0.0.0" || address === "::" ? "localhost" : address.includes(":") ? `[${address}]` : address;
  return `http://${host}:${component.port}`;
}
