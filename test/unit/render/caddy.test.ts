/**
 * The proxy as rendered: Caddy's JSON (which routes need which credentials, which certificate)
 * and the Compose services around it (where each port is published, what carries the secrets,
 * the external URLs of the UIs behind it). The e2e suite (test/e2e/exposure.test.ts) proves the
 * same config against a running Caddy.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderBundle } from "../../../scripts/stack/bundle/bundle.ts";
import type { StackConfigInput } from "../../../scripts/stack/index.ts";
import { parse } from "yaml";
import { componentUrl } from "../../../scripts/stack/config/addresses.ts";
import { composeServices } from "../../helpers/compose-file.ts";
import { modelOf } from "../../helpers/parse.ts";

type Json = Record<string, any>;

function rendered(config: StackConfigInput) {
  const bundle = renderBundle(modelOf(config));
  const services = composeServices(bundle.get("compose.yaml")!);
  const caddyJson = bundle.get("proxy/caddy.json");
  return { bundle, services, caddy: caddyJson === undefined ? undefined : (JSON.parse(caddyJson) as Json) };
}

const exposed = (proxy: Record<string, unknown> = {}, rest: StackConfigInput = {}): StackConfigInput => ({
  ...rest,
  components: { ...rest.components, proxy: { enabled: true, bindAddress: "0.0.0.0", hostname: "obs.example.com", ...proxy } },
});

const exposure = (caddy: Json) => caddy.apps.http.servers.exposure as Json;
/** The top-level routes by the first path they match ("*" for the catch-all). */
const routesByPath = (caddy: Json): Map<string, Json> => new Map(exposure(caddy).routes.map((route: Json) => [route.match?.[0]?.path?.[0] ?? "*", route]));
const basicAuthRoutes = (caddy: Json): Json[] => routesByPath(caddy).get("*")!.handle[1].routes;

describe("the proxy (Caddy)", () => {
  it("is off by default: no service, no config file", () => {
    const { bundle, services } = rendered({});
    expect(services.proxy).toBeUndefined();
    expect(bundle.has("proxy/caddy.json")).toBe(false);
    expect(services.prometheus!.command!.some((flag) => flag.startsWith("--web.external-url"))).toBe(false);
  });

  it("serves one HTTPS port on h1 and h2, its admin API on the container's loopback, its metrics on the stack's network only", () => {
    const { caddy, services } = rendered(exposed());
    expect(exposure(caddy!).listen).toEqual([":8443"]);
    expect(exposure(caddy!).protocols).toEqual(["h1", "h2"]);
    expect(exposure(caddy!).tls_connection_policies).toEqual([{ default_sni: "obs.example.com" }]);
    expect(caddy!.admin).toEqual({ listen: "localhost:2019", config: { persist: false } });
    expect(caddy!.apps.http.servers.metrics.listen).toEqual([":9180"]);
    expect(services.proxy!.ports).toEqual(["0.0.0.0:8443:8443"]);
  });

  it("basic auth before Prometheus, Alertmanager, Jaeger, the Pushgateway and a 404 for anything else; Grafana keeps its own login", () => {
    const { caddy } = rendered(exposed());
    const routes = routesByPath(caddy!);
    // Grafana, then OTLP, then the catch-all behind basic auth: nothing else is reachable without credentials.
    expect([...routes.keys()]).toEqual(["/grafana", "/grafana/*", "/otlp/*", "/opentelemetry.proto.collector.*", "*"]);
    expect(routes.get("/grafana/*")!.handle).toEqual([
      { handler: "rewrite", strip_path_prefix: "/grafana" },
      { handler: "reverse_proxy", upstreams: [{ dial: "grafana:3000" }] },
    ]);
    const [authentication] = routes.get("*")!.handle;
    expect(authentication.handler).toBe("authentication");
    expect(authentication.providers.http_basic.accounts).toEqual([{ username: "admin", password: "$2a$10${env.PROXY_PASSWORD_BCRYPT}" }]);
    const behindAuth = basicAuthRoutes(caddy!).map((route) => route.match?.[0].path[0] ?? "404");
    expect(behindAuth).toEqual(["/prometheus", "/prometheus/*", "/alertmanager", "/alertmanager/*", "/jaeger", "/jaeger/*", "/pushgateway", "/pushgateway/*", "404"]);
    expect(basicAuthRoutes(caddy!).at(-1)!.handle).toEqual([{ handler: "static_response", status_code: 404 }]);
  });

  it("OTLP over HTTP (prefix stripped) and gRPC (h2c) to the Collector's token-checking receivers; a request without a bearer token gets 401 from the proxy", () => {
    const { caddy } = rendered(exposed());
    const routes = routesByPath(caddy!);
    for (const [path, upstream] of [
      ["/otlp/*", { handler: "reverse_proxy", upstreams: [{ dial: "otel-collector:14318" }] }],
      ["/opentelemetry.proto.collector.*", { handler: "reverse_proxy", upstreams: [{ dial: "otel-collector:14317" }], transport: { protocol: "http", versions: ["h2c"] } }],
    ] as const) {
      const [subroute] = routes.get(path)!.handle;
      const [withToken, without] = subroute.routes;
      const { pattern } = withToken.match[0].header_regexp.Authorization;
      // The shape of a token, never the token: the Collector compares it.
      expect(withToken.match).toEqual([{ header_regexp: { Authorization: { pattern } } }]);
      expect(withToken.handle.at(-1)).toEqual(upstream);
      expect(without.match).toBeUndefined();
      expect(without.handle).toEqual([{ handler: "static_response", status_code: 401, headers: { "Www-Authenticate": ['Bearer realm="otlp"'] } }]);
      // RE2 and JavaScript agree on this pattern: an empty token (what an unset PROXY_OTLP_TOKEN would make the Collector expect) never passes.
      const shaped = new RegExp(pattern);
      expect(["Bearer abc-DEF_0.9~+/=", "Bearer x"].every((header) => shaped.test(header))).toBe(true);
      expect(["Bearer ", "Bearer", "Basic YWRtaW46eA==", "bearer abc", "Bearer a b", "Bearer abc\n"].some((header) => shaped.test(header))).toBe(false);
    }
    expect(JSON.stringify(caddy)).not.toContain("PROXY_OTLP_TOKEN");
  });

  it("the Collector checks the OTLP token itself: bearertokenauth on a second, unpublished pair of receivers in every pipeline; local senders keep the token-free ones", () => {
    const { bundle, services } = rendered(exposed());
    const collector = parse(bundle.get("otelcol/config.yaml")!) as Json;
    expect(collector.extensions["bearertokenauth/remote"]).toEqual({ tokens: ["${env:PROXY_OTLP_TOKEN}"] });
    expect(collector.service.extensions).toContain("bearertokenauth/remote");
    expect(collector.receivers["otlp/remote"]).toEqual({
      protocols: {
        grpc: { endpoint: "0.0.0.0:14317", auth: { authenticator: "bearertokenauth/remote" } },
        http: { endpoint: "0.0.0.0:14318", auth: { authenticator: "bearertokenauth/remote" } },
      },
    });
    expect(collector.receivers.otlp.protocols.http.auth).toBeUndefined();
    for (const [name, pipeline] of Object.entries(collector.service.pipelines as Record<string, { receivers: string[] }>)) {
      if (pipeline.receivers.includes("otlp")) expect(pipeline.receivers, name).toContain("otlp/remote");
    }
    const collectorService = services["otel-collector"]!;
    expect(collectorService.environment).toMatchObject({ PROXY_OTLP_TOKEN: "${PROXY_OTLP_TOKEN:-}" });
    expect(collectorService.ports!.some((port) => /:1431[78]$/.test(port))).toBe(false);
    expect(collectorService.read_only).toBe(true);
    // Without the proxy, nothing of it.
    const local = rendered({});
    expect(local.bundle.get("otelcol/config.yaml")).not.toMatch(/bearertokenauth|otlp\/remote|PROXY_OTLP_TOKEN/);
    expect(local.services["otel-collector"]!.environment ?? {}).not.toHaveProperty("PROXY_OTLP_TOKEN");
  });

  it("Jaeger serves under /jaeger itself when the proxy runs (its UI's assets with it), and every caller uses that path", () => {
    const { bundle, caddy } = rendered(exposed());
    expect((parse(bundle.get("jaeger/config.yaml")!) as Json).extensions.jaeger_query.base_path).toBe("/jaeger");
    const jaegerRoute = basicAuthRoutes(caddy!).find((route) => route.match?.[0].path[0] === "/jaeger/*")!;
    // Not stripped: Jaeger expects the prefix; the others still get theirs stripped.
    expect(jaegerRoute.handle).toEqual([{ handler: "reverse_proxy", upstreams: [{ dial: "jaeger:16686" }] }]);
    expect(basicAuthRoutes(caddy!).find((route) => route.match?.[0].path[0] === "/prometheus/*")!.handle[0]).toEqual({ handler: "rewrite", strip_path_prefix: "/prometheus" });
    const datasources = parse(bundle.get("grafana/provisioning/datasources/datasources.yml")!) as { datasources: Array<{ type: string; url: string }> };
    expect(datasources.datasources.find((source) => source.type === "jaeger")!.url).toBe("http://jaeger:16686/jaeger");
    const model = modelOf(exposed());
    expect(componentUrl(model.config, "jaeger")).toBe("http://127.0.0.1:16686/jaeger");
    // Without the proxy, Jaeger stays at its root.
    const local = rendered({});
    expect((parse(local.bundle.get("jaeger/config.yaml")!) as Json).extensions.jaeger_query.base_path).toBeUndefined();
    expect(componentUrl(modelOf({}).config, "jaeger")).toBe("http://127.0.0.1:16686");
  });

  it("routes only the components that run", () => {
    const { caddy } = rendered(exposed({}, { components: { jaeger: { enabled: false }, otelCollector: { enabled: false } }, logs: { collector: "promtail" } }));
    const behindAuth = basicAuthRoutes(caddy!).flatMap((route) => route.match?.[0].path ?? []);
    expect(behindAuth).toContain("/prometheus/*");
    expect(behindAuth).not.toContain("/jaeger/*");
    expect([...routesByPath(caddy!).keys()]).toEqual(["/grafana", "/grafana/*", "*"]);
  });

  it("without a certificate: Caddy's internal CA issues one for the host name and is never installed in the container", () => {
    const { caddy } = rendered(exposed());
    expect(caddy!.apps.tls).toEqual({
      certificates: { automate: ["obs.example.com"] },
      automation: { policies: [{ subjects: ["obs.example.com"], issuers: [{ module: "internal" }] }] },
    });
    expect(caddy!.apps.pki).toEqual({ certificate_authorities: { local: { install_trust: false } } });
  });

  it("the host name defaults to the bind address, or localhost for a wildcard", () => {
    expect(exposure(rendered(exposed({ hostname: undefined, bindAddress: "192.0.2.10" })).caddy!).tls_connection_policies[0].default_sni).toBe("192.0.2.10");
    expect(exposure(rendered(exposed({ hostname: undefined })).caddy!).tls_connection_policies[0].default_sni).toBe("localhost");
  });

  it("with the user's certificate: loaded from the same path it is mounted at, read-only, and selected by its tag", () => {
    const dir = mkdtempSync(join(tmpdir(), "obs-proxy-tls-"));
    const certFile = join(dir, "cert.pem");
    const keyFile = join(dir, "key.pem");
    writeFileSync(certFile, "cert");
    writeFileSync(keyFile, "key");
    const { caddy, services } = rendered(exposed({ tls: { certFile, keyFile } }));
    expect(caddy!.apps.tls).toEqual({ certificates: { load_files: [{ certificate: certFile, key: keyFile, tags: ["user"] }] } });
    expect(caddy!.apps.pki).toBeUndefined();
    expect(exposure(caddy!).tls_connection_policies).toEqual([{ default_sni: "obs.example.com", certificate_selection: { any_tag: ["user"] } }]);
    expect(services.proxy!.volumes).toEqual(["./proxy:/etc/caddy:ro", "proxy-data:/data", `${certFile}:${certFile}:ro`, `${keyFile}:${keyFile}:ro`]);
  });

  it("the credentials reach the container from .env through Compose, never in a file: a read-only root, no secret files", () => {
    const { bundle, services } = rendered(exposed());
    const proxy = services.proxy!;
    // The OTLP token is the Collector's to check, not the proxy's to know.
    expect(proxy.environment).toEqual({ XDG_DATA_HOME: "/data/obs-stack", PROXY_PASSWORD: "${PROXY_PASSWORD:-}" });
    expect(proxy.secrets).toBeUndefined();
    expect(proxy.read_only).toBe(true);
    // Not root, and no capability: a copy of the binary without the image's file capability runs.
    expect(proxy.user).toBe("65532:65532");
    expect(proxy.cap_drop).toEqual(["ALL"]);
    expect(proxy.cap_add).toBeUndefined();
    // The start script copies the binary, hashes the password and runs Caddy; Compose's `$$` keeps every `$` literal.
    expect(proxy.command!.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(proxy.command![2]).toContain("rm -f /data/obs-stack/bin/caddy && cp /usr/bin/caddy /data/obs-stack/bin/caddy");
    expect(proxy.command![2]).toContain("exec /data/obs-stack/bin/caddy run --config /etc/caddy/caddy.json");
    expect(proxy.command![2]).not.toMatch(/\/usr\/bin\/caddy (run|hash-password)/);
    expect(proxy.command![2]!.replaceAll("$$", "")).not.toContain("$");
    for (const contents of bundle.values()) expect(contents).not.toMatch(/\$2a\$10\$[./A-Za-z0-9]{53}/);
  });

  it("every other port stays on loopback; the UIs behind the proxy build their links with its URL", () => {
    const { services } = rendered(exposed());
    for (const [name, service] of Object.entries(services)) {
      if (name === "proxy") continue;
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
    expect(services.prometheus!.command).toEqual(expect.arrayContaining(["--web.external-url=https://obs.example.com:8443/prometheus/", "--web.route-prefix=/"]));
    expect(services.alertmanager!.command).toEqual(expect.arrayContaining(["--web.external-url=https://obs.example.com:8443/alertmanager/", "--web.route-prefix=/"]));
    expect(services.grafana!.environment).toMatchObject({ GF_SERVER_ROOT_URL: "https://obs.example.com:8443/grafana/", GF_SERVER_SERVE_FROM_SUB_PATH: "false" });
  });

  it("an IPv6 host is bracketed in the URLs", () => {
    const { services } = rendered(exposed({ hostname: undefined, bindAddress: "2001:db8::1" }));
    expect(services.prometheus!.command).toContain("--web.external-url=https://[2001:db8::1]:8443/prometheus/");
    expect(services.proxy!.ports).toEqual(["[2001:db8::1]:8443:8443"]);
  });
});
