import { z } from "zod";
import { hostFilePath, hostName, refuse, slug } from "../../value-types.ts";
import { wgetProbe, type ComponentDefinition } from "../component-definition.ts";
import type { ComponentName } from "../component-names.ts";

/** A high port inside the container: the proxy binds it without any capability. */
export const PROXY_HTTPS_PORT = 8443;
/** Caddy's own metrics, on the stack's network only (its admin API stays on the container's loopback). */
export const PROXY_METRICS_PORT = 9180;
export const PROXY_CONFIG_DIR = "/etc/caddy";
export const PROXY_CONFIG_FILE = `${PROXY_CONFIG_DIR}/caddy.json`;
export const PROXY_DATA_DIR = "/data";
/**
 * The proxy runs as this user: the official image's is root. Its own uid, shared with no other
 * component, so nothing else owns what it writes.
 */
export const PROXY_UID = 65532;
/**
 * Its state in the volume, made PROXY_UID's by `up` before the first start: Caddy's (the internal
 * CA, certificates, in $XDG_DATA_HOME/caddy) and the copy of its binary it runs. Not the image's
 * /data/caddy, which a new volume copies root-owned from the image.
 */
export const PROXY_STATE_DIR = `${PROXY_DATA_DIR}/obs-stack`;
const PROXY_BINARY = `${PROXY_STATE_DIR}/bin/caddy`;

/**
 * The generated credentials in .env (mode 0600), never in a generated file: the basic auth's
 * password (the proxy's) and the bearer token of OTLP sent through the proxy (the Collector's).
 */
export const PROXY_PASSWORD_ENV = "PROXY_PASSWORD";
export const PROXY_OTLP_TOKEN_ENV = "PROXY_OTLP_TOKEN";
/**
 * Set by the container's start script from PROXY_PASSWORD: its bcrypt hash after BCRYPT_PREFIX.
 * caddy.json writes the prefix itself, so the field is never empty and `caddy validate` can
 * provision it without the secret; a missing hash leaves a malformed one that matches nothing.
 */
export const PROXY_PASSWORD_BCRYPT_ENV = "PROXY_PASSWORD_BCRYPT";
export const BCRYPT_PREFIX = "$2a$10$";

/** Components with a login of their own: the proxy passes their route through without basic auth. */
export const OWN_LOGIN: readonly ComponentName[] = ["grafana"];

/**
 * The container's start, in sh (the image is alpine-based): refuse a missing password, copy the
 * binary, hash the password with Caddy itself, so no hash is ever stored, then run Caddy. bcrypt
 * cost 10: the generated password has 192 bits, so the cost only bounds the CPU each wrong guess
 * costs. The OTLP token is not the proxy's to know: the Collector checks it (render/otelcol.ts).
 *
 * The copy: the image's /usr/bin/caddy carries the file capability cap_net_bind_service=+ep, and
 * the kernel refuses to exec a binary whose file capabilities are not all in the bounding set
 * (EPERM under cap_drop ALL, root or not), while allowing them would grant the capability to the
 * process (measured: CapEff 0x400 as a non-root user with no-new-privileges). `cp` does not copy
 * the extended attribute, so the copy runs with no capability at all; it listens on a high port.
 * Removed first, so whatever the previous run left at that path is never what runs.
 */
const START_SCRIPT = [
  "set -eu",
  `[ -n "\${${PROXY_PASSWORD_ENV}:-}" ] || { echo "proxy: ${PROXY_PASSWORD_ENV} must be set (npm run generate writes it into .env)" >&2; exit 1; }`,
  `mkdir -p ${PROXY_STATE_DIR}/bin && rm -f ${PROXY_BINARY} && cp /usr/bin/caddy ${PROXY_BINARY}`,
  `hash=$(printf %s "$${PROXY_PASSWORD_ENV}" | ${PROXY_BINARY} hash-password --bcrypt-cost 10)`,
  `export ${PROXY_PASSWORD_BCRYPT_ENV}="\${hash#'${BCRYPT_PREFIX}'}"`,
  `unset ${PROXY_PASSWORD_ENV}`,
  `exec ${PROXY_BINARY} run --config ${PROXY_CONFIG_FILE}`,
].join("\n");

/**
 * The certificate files are mounted at the same paths in the container, so `caddy validate` on the
 * host reads what Caddy reads; not below the directories the container has of its own. That they
 * exist is the host's business, checked at load time with the other environment findings
 * (config/rules.ts), so the schema stays pure; the schema checks their form.
 */
const certificateFile = hostFilePath.superRefine(
  refuse((path: string) => {
    const own = [PROXY_CONFIG_DIR, PROXY_DATA_DIR].find((dir) => path.startsWith(`${dir}/`));
    return own && { message: `is below ${own}, which the proxy container has of its own`, hint: "keep the certificate and key elsewhere, e.g. in /etc/ssl/obs/" };
  }),
);

/**
 * Caddy in front of the stack when it is served beyond localhost: one HTTPS port, a path per
 * component, basic auth on every UI and API without a login of its own, OTLP to the Collector's
 * token-checking receivers.
 */
export const proxy = {
  title: "Reverse proxy (Caddy)",
  note: "Opt-in (`components.proxy.enabled: true`): the one port to open when the stack is served beyond localhost (see \"Exposing the stack\").",
  image: { repository: "caddy", tag: "2.11.9" },
  service: "proxy",
  port: PROXY_HTTPS_PORT,
  selfMetricsPort: PROXY_METRICS_PORT,
  memory: "128m",
  enabledByDefault: false,
  settings: {
    hostname: hostName
      .optional()
      .describe(
        "Name (or IP address) clients reach the proxy by: the certificate is for it and the UIs build their links with it. Omitted: the bind address, or localhost for a wildcard address.",
      ),
    user: slug.default("admin").describe(`User name of the basic auth; the password is generated into .env (${PROXY_PASSWORD_ENV}, mode 0600).`),
    tls: z
      .strictObject({
        certFile: certificateFile.describe("Absolute path of the PEM certificate (with its chain) on the host."),
        keyFile: certificateFile.describe("Absolute path of its PEM private key on the host."),
      })
      .optional()
      .describe("Your certificate. Omitted: Caddy's own certificate authority issues one (export its root to trust it, see \"Exposing the stack\")."),
  },
  extraPorts: [],
  requires: [],
  container: {
    // `$$` is Compose's escape for a literal `$`.
    command: ["sh", "-c", START_SCRIPT.replaceAll("$", "$$$$")],
    volumes: [`proxy-data:${PROXY_DATA_DIR}`],
    // Alpine-based: busybox wget.
    healthcheck: wgetProbe(PROXY_METRICS_PORT, "/metrics"),
    dependsOnHealthy: [],
    hostGateway: false,
    readOnlyRootFilesystem: true,
    // No capability: it runs a copy of the binary without the image's file capability (START_SCRIPT).
    user: `${PROXY_UID}:${PROXY_UID}`,
    ownedDirs: [{ path: PROXY_STATE_DIR, uid: PROXY_UID }],
  },
  // Caddy does not reload on SIGHUP ("not implemented"); its admin API could, but only from inside the container.
  configMounts: [{ dir: "proxy", target: PROXY_CONFIG_DIR, apply: { action: "restart" } }],
  rulePacks: [],
} satisfies ComponentDefinition;
