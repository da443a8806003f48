/**
 * What serving the stack through the proxy changes in the Compose services: the proxy's password
 * and certificate, the Collector's OTLP token, and the external URL of every UI it serves under a
 * path prefix.
 */
import { PROXY_OTLP_TOKEN_ENV, PROXY_PASSWORD_ENV, PROXY_STATE_DIR } from "../catalog/components/proxy.ts";
import type { ComponentName } from "../catalog/components.ts";
import { agentEndpoints } from "../config/agents.ts";
import type { StackModel } from "../config/model.ts";
import { proxiedUrl } from "../config/proxy-address.ts";
import type { ServiceSpec } from "./compose-services.ts";

/**
 * Prometheus, Alertmanager and the Pushgateway build their links from --web.external-url; with
 * --web.route-prefix=/ they still serve at the root, where the proxy (which strips the prefix)
 * and the CLI on the loopback port both reach them.
 */
const externalUrlFlags = (url: string) => [`--web.external-url=${url}`, "--web.route-prefix=/"];

/** Tokens the Collector checks: the remote senders' one, and one per agent host. */
const collectorTokenEnv = (model: StackModel): string[] => (model.enabled.proxy ? [PROXY_OTLP_TOKEN_ENV, ...agentEndpoints(model).map(({ tokenEnv }) => tokenEnv)] : []);

/** The credentials of serving beyond localhost: variables of .env (mode 0600), generated, that compose.yaml takes from the environment. */
export const exposureCredentialEnv = (model: StackModel): string[] => (model.enabled.proxy ? [PROXY_PASSWORD_ENV, ...collectorTokenEnv(model)] : []);

/**
 * Interpolated by Compose from .env, so neither compose.yaml nor the bundle holds it; an environment
 * variable rather than a secret file keeps the root read-only (Compose copies a secret file in).
 */
export const fromEnvironment = (variable: string) => ({ name: variable, value: `\${${variable}:-}` });

export function withExposure(model: StackModel, name: ComponentName, spec: ServiceSpec): ServiceSpec {
  if (!model.enabled.proxy) return spec;
  if (name === "proxy") return proxyService(model, spec);
  // Its token-checking receivers expand the tokens from their environment (render/otelcol.ts).
  if (name === "otelCollector") return { ...spec, environment: [...spec.environment, ...collectorTokenEnv(model).map(fromEnvironment)] };
  const url = proxiedUrl(model, name);
  if (url === null) return spec;
  if (name === "grafana") {
    // Grafana serves at / (the proxy strips /grafana) and puts the prefix into its links and redirects.
    return { ...spec, environment: [...spec.environment, { name: "GF_SERVER_ROOT_URL", value: url }, { name: "GF_SERVER_SERVE_FROM_SUB_PATH", value: "false" }] };
  }
  if (name === "prometheus" || name === "alertmanager" || name === "pushgateway") return { ...spec, command: [...spec.command, ...externalUrlFlags(url)] };
  // Jaeger serves under the prefix itself (its base_path, render/jaeger.ts).
  return spec;
}

/** Its password, and its certificate when the config names one. */
function proxyService(model: StackModel, spec: ServiceSpec): ServiceSpec {
  const { tls } = model.config.components.proxy;
  return {
    ...spec,
    environment: [
      ...spec.environment,
      // Caddy keeps its state (the internal CA, certificates) in $XDG_DATA_HOME/caddy, in the volume
      // and its user's; caddy.json names no path, so `caddy validate` elsewhere works.
      { name: "XDG_DATA_HOME", value: PROXY_STATE_DIR },
      fromEnvironment(PROXY_PASSWORD_ENV),
    ],
    // At the same paths inside, where caddy.json names them.
    volumes: [...spec.volumes, ...(tls ? [tls.certFile, tls.keyFile].map((file) => `${file}:${file}:ro`) : [])],
  };
}
