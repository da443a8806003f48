/** Where clients reach the proxy (components.proxy): derived from the config alone. */
import type { StackConfig } from "./schema.ts";

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
