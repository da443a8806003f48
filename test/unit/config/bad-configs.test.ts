/**
 * The corpus of bad configs and environments: each must be refused with a StackError (exit 1 from
 * the CLI, never an internal error, exit 70) whose issue names the config path at fault, or whose
 * code names the cause. The describe names count the corpus by class.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, StackError, type ErrorCode } from "../../../scripts/stack/errors.ts";
import { loadStack } from "../../../scripts/stack/resolve/load.ts";
import { runCli } from "../../helpers/run-cli.ts";
import { tryParse } from "../../helpers/parse.ts";
import { tempProject } from "../../helpers/temp-project.ts";

type BadClass =
  | "unknown key"
  | "wrong type"
  | "missing field"
  | "out of range"
  | "bad duration"
  | "bad URL"
  | "duplicate"
  | "port collision"
  | "missing reference"
  | "unrepresentable text"
  | "Compose $"
  | "label name"
  | "regex"
  | "matcher"
  | "time zone"
  | "image reference"
  | "template syntax"
  | "cross-field";

interface BadConfig {
  class: BadClass;
  what: string;
  config: unknown;
  /** The config path the error must name. */
  path: string;
  message?: RegExp;
  mode?: "generate" | "up";
}

const api = (extra: Record<string, unknown> = {}) => ({ name: "api", url: "http://api:8080", ...extra });
const withService = (extra: Record<string, unknown>) => ({ services: [api(extra)] });
const hook = (name: string) => ({ name, webhook: { url: "http://hook:8080/" } });
const withReceiver = (receiver: Record<string, unknown>) => ({ alerting: { receivers: [receiver] } });
const slo = (errorMatcher: string) => withService({ slo: { availability: 0.99, sli: { errorMatcher } } });
const route = (extra: Record<string, unknown>) => ({ alerting: { receivers: [hook("team")], routes: [{ receiver: "team", ...extra }] } });
const remoteWrite = (...targets: Array<Record<string, unknown>>) => ({
  metrics: { remoteWrite: targets.map((extra, i) => ({ name: `backend-${i}`, url: "http://thanos-receive:19291/api/v1/receive", ...extra })) },
});
const withHosts = (hosts: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) => ({ components: { proxy: { enabled: true } }, hosts, ...extra });
const check = (extra: Record<string, unknown>) => withService({ synthetics: { checks: [{ name: "c", path: "/", ...extra }] } });

const CORPUS: readonly BadConfig[] = [
  { class: "unknown key", what: "a misspelt component setting", config: { components: { prometheus: { retension: {} } } }, path: "components.prometheus.retension", message: /unknown key/ },
  { class: "unknown key", what: "an unknown top-level key", config: { servics: [] }, path: "servics" },
  { class: "unknown key", what: "an unknown key in a service", config: withService({ helth: {} }), path: "services[0].helth" },
  { class: "unknown key", what: "a key with a line break", config: { alerting: { "routes\n- x": [] } }, path: 'alerting["routes\\n- x"]' },

  { class: "wrong type", what: "a port as a string", config: { components: { prometheus: { port: "9090" } } }, path: "components.prometheus.port", message: /^expected a number, got the string "9090"$/ },
  { class: "wrong type", what: "services as a string", config: { services: "api" }, path: "services", message: /^expected a list, got the string "api"$/ },
  { class: "wrong type", what: "enabled as a string", config: { components: { grafana: { enabled: "yes" } } }, path: "components.grafana.enabled", message: /^expected true or false, got the string "yes"$/ },
  { class: "wrong type", what: "a bind address as a number", config: { bindAddress: 127 }, path: "bindAddress", message: /must be an IP address .*, got the number 127$/ },
  { class: "wrong type", what: "metricsPath as true", config: withService({ metricsPath: true }), path: "services[0].metricsPath", message: /^expected a string or false, got true$/ },
  { class: "wrong type", what: "a whole config that is a list", config: [], path: "", message: /^expected an object, got an empty list$/ },
  { class: "wrong type", what: "a label value as a number", config: withService({ labels: { team: 7 } }), path: "services[0].labels.team", message: /^expected a string, got the number 7$/ },

  { class: "missing field", what: "a service without a URL", config: { services: [{ name: "api" }] }, path: "services[0].url", message: /^is required \(expected a string\)$/ },
  { class: "missing field", what: "a route without a receiver", config: { alerting: { routes: [{ severity: "critical" }] } }, path: "alerting.routes[0].receiver", message: /^is required/ },
  { class: "missing field", what: "a receiver without a name", config: withReceiver({ webhook: { url: "http://h:1" } }), path: "alerting.receivers[0].name", message: /^is required/ },
  { class: "missing field", what: "a load profile without stages", config: withService({ synthetics: { profiles: { peak: {} } } }), path: "services[0].synthetics.profiles.peak.stages" },

  { class: "out of range", what: "a port above 65535", config: { components: { grafana: { port: 70000 } } }, path: "components.grafana.port", message: /between 1 and 65535/ },
  { class: "out of range", what: "a port of 0", config: { smoke: { webhookPort: 0 } }, path: "smoke.webhookPort" },
  { class: "out of range", what: "a fractional port", config: { components: { loki: { port: 3100.5 } } }, path: "components.loki.port", message: /^must be a whole number$/ },
  { class: "out of range", what: "an SLO target of 1.5", config: withService({ slo: { availability: 1.5 } }), path: "services[0].slo.availability" },
  { class: "out of range", what: "demo traffic above 100 rps", config: { demo: { trafficRps: 1000 } }, path: "demo.trafficRps", message: /^must be at most 100$/ },
  { class: "out of range", what: "an HTTP status of 600", config: check({ expect: { status: 600 } }), path: "services[0].synthetics.checks[0].expect.status" },
  { class: "out of range", what: "a redis port above 65535", config: { exporters: { redis: [{ name: "cache", address: "redis:99999" }] } }, path: "exporters.redis[0].address" },
  { class: "out of range", what: "NaN as a number", config: { demo: { trafficRps: Number.NaN } }, path: "demo.trafficRps", message: /got the number NaN/ },

  { class: "bad duration", what: "words in a duration", config: { alerting: { groupWait: "30 seconds" } }, path: "alerting.groupWait" },
  { class: "bad duration", what: "a zero duration", config: { components: { prometheus: { scrapeInterval: "0s" } } }, path: "components.prometheus.scrapeInterval", message: /longer than zero/ },
  { class: "bad duration", what: "units out of order", config: { components: { loki: { retention: "30s5m" } } }, path: "components.loki.retention" },
  { class: "bad duration", what: "a duration beyond Go's", config: { components: { jaeger: { retention: "300y" } } }, path: "components.jaeger.retention", message: /at most 292y/ },

  { class: "bad URL", what: "a URL without a scheme", config: { services: [{ name: "api", url: "api:8080" }] }, path: "services[0].url" },
  { class: "bad URL", what: "an ftp URL", config: { services: [{ name: "api", url: "ftp://api" }] }, path: "services[0].url" },
  { class: "bad URL", what: "a URL with a space", config: withReceiver({ name: "x", webhook: { url: "http://hook/a b" } }), path: "alerting.receivers[0].webhook.url" },
  { class: "bad URL", what: "a URL with a line break, which the URL parser would drop", config: { alerting: { links: { grafana: "http://grafana:3000/\nx" } } }, path: "alerting.links.grafana" },
  { class: "bad URL", what: "a Loki URL with credentials", config: { components: { loki: { enabled: false } }, logs: { loki: { url: "https://u:p@logs.example.com" } } }, path: "logs.loki.url" },

  { class: "duplicate", what: "two services of one name", config: { services: [api(), api()] }, path: "services[1].name", message: /duplicate service name "api"/ },
  { class: "duplicate", what: "two receivers of one name", config: { alerting: { receivers: [hook("x"), hook("x")] } }, path: "alerting.receivers[1].name" },
  { class: "duplicate", what: "two checks of one name", config: withService({ synthetics: { checks: [{ name: "c", path: "/a" }, { name: "c", path: "/b" }] } }), path: "services[0].synthetics.checks[1].name" },
  { class: "duplicate", what: "two time intervals of one name", config: { alerting: { timeIntervals: [{ name: "night" }, { name: "night" }] } }, path: "alerting.timeIntervals[1].name" },
  { class: "duplicate", what: "a service named like a component's job", config: { services: [{ name: "loki", url: "http://x:1" }] }, path: "services[0].name" },
  { class: "duplicate", what: "a service named like the volume exporter's job", config: { services: [{ name: "volume-exporter", url: "http://x:1" }] }, path: "services[0].name", message: /already the name of a stack component/ },

  { class: "port collision", what: "Grafana on Prometheus's port", config: { components: { grafana: { port: 9090 } } }, path: "components.grafana.port", message: /already used by components.prometheus.port/ },
  { class: "port collision", what: "an extra port on another's", config: { components: { otelCollector: { grpcPort: 9093 } } }, path: "components.otelCollector.grpcPort" },
  { class: "port collision", what: "a wildcard bind overlapping", config: { components: { grafana: { port: 9090, bindAddress: "0.0.0.0" } } }, path: "components.grafana.port" },

  { class: "missing reference", what: "an undefined default receiver", config: { alerting: { receivers: [hook("a")], defaultReceiver: "b" } }, path: "alerting.defaultReceiver", message: /receiver "b" is not defined/ },
  { class: "missing reference", what: "a route to an undefined receiver", config: { alerting: { routes: [{ receiver: "pager" }] } }, path: "alerting.routes[0].receiver" },
  { class: "missing reference", what: "an undefined heartbeat receiver", config: { alerting: { heartbeat: { receiver: "dms" } } }, path: "alerting.heartbeat.receiver" },
  { class: "missing reference", what: "an undefined time interval", config: route({ muteTimeIntervals: ["weekends"] }), path: "alerting.routes[0].muteTimeIntervals[0]" },
  { class: "missing reference", what: "an unset secret for up", config: withReceiver({ name: "p", pagerduty: { routingKeyEnv: "PD_KEY" } }), path: "alerting.receivers[0].pagerduty.routingKeyEnv", mode: "up" },

  { class: "unrepresentable text", what: "a receiver name that adds a route", config: { alerting: { receivers: [hook("team\n    - receiver: evil")], chat: ["team\n    - receiver: evil"] } }, path: "alerting.receivers[0].name", message: /line break \(U\+000A\)/ },
  { class: "unrepresentable text", what: "DEL in a label value", config: withService({ labels: { team: "a\u007fb" } }), path: "services[0].labels.team", message: /control character \(U\+007F\)/ },
  { class: "unrepresentable text", what: "a C1 control (CSI) in a Slack channel", config: withReceiver({ name: "s", slack: { webhookUrlEnv: "S", channel: "#a\u009b31m" } }), path: "alerting.receivers[0].slack.channel", message: /U\+009B/ },
  { class: "unrepresentable text", what: "NEL in a route category", config: route({ category: "a\u0085b" }), path: "alerting.routes[0].category", message: /U\+0085/ },
  { class: "unrepresentable text", what: "U+FFFE in a header value", config: check({ headers: { "X-A": "\ufffe" } }), path: "services[0].synthetics.checks[0].headers.X-A", message: /noncharacter U\+FFFE/ },
  { class: "unrepresentable text", what: "a lone surrogate in a request body", config: check({ method: "POST", body: "{\ud800}" }), path: "services[0].synthetics.checks[0].body", message: /lone surrogate/ },
  { class: "unrepresentable text", what: "U+2028 in an expected body text", config: check({ expect: { bodyContains: ["a\u2028b"] } }), path: "services[0].synthetics.checks[0].expect.bodyContains[0]", message: /read as a line break/ },
  { class: "unrepresentable text", what: "a tab in a time interval name", config: { alerting: { timeIntervals: [{ name: "a\tb" }] } }, path: "alerting.timeIntervals[0].name", message: /a tab/ },
  { class: "unrepresentable text", what: "a line break in Grafana's admin login", config: { components: { grafana: { adminUser: "admin\nroot" } } }, path: "components.grafana.adminUser" },
  { class: "unrepresentable text", what: "an empty receiver name", config: withReceiver({ name: "", webhook: { url: "http://h:1" } }), path: "alerting.receivers[0].name", message: /must not be empty/ },

  { class: "Compose $", what: "$ in Grafana's admin login", config: { components: { grafana: { adminUser: "ad$min" } } }, path: "components.grafana.adminUser", message: /must not contain "\$"/ },
  { class: "Compose $", what: "${…} in Grafana's admin login", config: { components: { grafana: { adminUser: "${USER}" } } }, path: "components.grafana.adminUser" },
  { class: "Compose $", what: "$ in an existing Loki's URL", config: { components: { loki: { enabled: false } }, logs: { loki: { url: "https://logs.example.com/${TENANT}" } } }, path: "logs.loki.url" },

  { class: "label name", what: "a label the stack sets (service)", config: withService({ labels: { service: "x" } }), path: "services[0].labels.service", message: /label the stack sets itself/ },
  { class: "label name", what: "Prometheus's job label", config: withService({ labels: { job: "x" } }), path: "services[0].labels.job" },
  { class: "label name", what: "a reserved __ label", config: withService({ labels: { __address__: "x" } }), path: "services[0].labels.__address__", message: /must not start with "__"/ },
  { class: "label name", what: "a label name with a dot", config: withService({ labels: { "app.kubernetes.io/name": "x" } }), path: 'services[0].labels["app.kubernetes.io/name"]' },
  { class: "label name", what: "a group_by label with a dash", config: { alerting: { groupBy: ["alert-name"] } }, path: "alerting.groupBy[0]" },

  { class: "regex", what: "an unclosed group in a drop rule", config: { logs: { drop: [{ name: "x", pattern: "([a-z" }] } }, path: "logs.drop[0].pattern", message: /missing closing \]/ },
  { class: "regex", what: "lookahead in a drop rule", config: { logs: { drop: [{ name: "x", pattern: "foo(?=bar)" }] } }, path: "logs.drop[0].pattern", message: /RE2 has no lookahead/ },
  { class: "regex", what: "a backreference in a scrub rule", config: { logs: { scrub: { custom: [{ name: "x", pattern: "(a)\\1" }] } } }, path: "logs.scrub.custom[0].pattern", message: /RE2 has no backreferences/ },
  { class: "regex", what: "lookbehind in a body assertion", config: check({ expect: { bodyMatches: "(?<=id=)\\d+" } }), path: "services[0].synthetics.checks[0].expect.bodyMatches", message: /RE2 has no lookbehind/ },
  { class: "regex", what: "a possessive repeat", config: { logs: { drop: [{ name: "x", pattern: "a*+" }] } }, path: "logs.drop[0].pattern", message: /possessive/ },
  { class: "regex", what: "a regex nested too deeply for Go", config: { logs: { drop: [{ name: "x", pattern: `${"(".repeat(1200)}a${")".repeat(1200)}` }] } }, path: "logs.drop[0].pattern", message: /nests too deeply/ },

  { class: "matcher", what: "an invalid regex in the SLI matcher (crashed before)", config: slo('code=~"(5.."'), path: "services[0].slo.sli.errorMatcher", message: /not a valid RE2 regex/ },
  { class: "matcher", what: "lookahead in the SLI matcher", config: slo('code=~"5(?!00).."'), path: "services[0].slo.sli.errorMatcher", message: /RE2 has no lookahead/ },
  { class: "matcher", what: "an unescaped quote in the SLI matcher", config: slo('code="5"00"'), path: "services[0].slo.sli.errorMatcher", message: /escape every "/ },
  { class: "matcher", what: "RE2 the SLO tests cannot evaluate", config: slo('code=~"\\Q500\\E"'), path: "services[0].slo.sli.errorMatcher", message: /cannot evaluate/ },
  { class: "matcher", what: "an invalid regex in a route matcher", config: route({ matchers: ['team=~"[a-"'] }), path: "alerting.routes[0].matchers[0]", message: /not a valid RE2 regex/ },
  { class: "matcher", what: "a route matcher without quotes", config: route({ matchers: ["team=payments"] }), path: "alerting.routes[0].matchers[0]", message: /label matcher/ },

  { class: "time zone", what: "a lower-case zone, which Go refuses", config: { alerting: { businessHours: { location: "europe/paris" } } }, path: "alerting.businessHours.location", message: /not a time zone Go knows/ },
  { class: "time zone", what: "a zone that does not exist", config: { alerting: { timeIntervals: [{ name: "n", location: "Mars/Olympus" }] } }, path: "alerting.timeIntervals[0].location" },
  { class: "time zone", what: "an empty zone", config: { alerting: { businessHours: { location: "" } } }, path: "alerting.businessHours.location" },

  { class: "image reference", what: "capitals in the repository path", config: { images: { prometheus: "Prom/Prometheus:v3" } }, path: "images.prometheus", message: /must be lowercase/ },
  { class: "image reference", what: "an empty tag", config: { images: { loki: "grafana/loki:" } }, path: "images.loki", message: /tag/ },
  { class: "image reference", what: "a short digest", config: { images: { grafana: "grafana/grafana@sha256:abc" } }, path: "images.grafana", message: /digest/ },
  { class: "image reference", what: "a tag longer than 128", config: { images: { jaeger: `jaegertracing/jaeger:${"v".repeat(129)}` } }, path: "images.jaeger" },
  { class: "image reference", what: "a space in the reference", config: { images: { k6: "grafana/k6 latest" } }, path: "images.k6" },

  { class: "template syntax", what: "a Go template in a scrub replacement", config: { logs: { scrub: { custom: [{ name: "x", pattern: "t=(\\w+)", replacement: "{{ .Value }}" }] } } }, path: "logs.scrub.custom[0].replacement", message: /Go template/ },
  { class: "template syntax", what: "a scrub pattern with nested capture groups", config: { logs: { scrub: { custom: [{ name: "x", pattern: "((a)b)" }] } } }, path: "logs.scrub.custom[0].pattern", message: /nested/ },

  { class: "cross-field", what: "an SLO with no objective", config: withService({ slo: {} }), path: "services[0].slo", message: /neither an availability nor a latency/ },
  { class: "cross-field", what: "a log agent with no Loki", config: { components: { loki: { enabled: false } }, logs: { collector: "promtail" } }, path: "components.promtail.enabled" },
  { class: "cross-field", what: "a receiver with no integration", config: withReceiver({ name: "empty" }), path: "alerting.receivers[0]", message: /has no integration/ },
  { class: "cross-field", what: "a wrapping weekday range", config: { alerting: { businessHours: { weekdays: ["friday:monday"] } } }, path: "alerting.businessHours.weekdays[0]", message: /runs backwards/ },
  { class: "cross-field", what: "Prometheus on 0.0.0.0 beside the proxy", config: { components: { proxy: { enabled: true, bindAddress: "0.0.0.0" }, prometheus: { bindAddress: "0.0.0.0" } } }, path: "components.prometheus.bindAddress", message: /no authentication of its own/ },
  { class: "cross-field", what: "every component on 0.0.0.0 beside the proxy", config: { bindAddress: "0.0.0.0", components: { proxy: { enabled: true } } }, path: "bindAddress", message: /Prometheus, Alertmanager/ },
  { class: "missing reference", what: "a proxy certificate that does not exist", config: { components: { proxy: { enabled: true, tls: { certFile: "/nonexistent/obs/cert.pem", keyFile: "/nonexistent/obs/key.pem" } } } }, path: "components.proxy.tls.certFile", message: /does not exist/ },
  { class: "wrong type", what: "a relative proxy key path", config: { components: { proxy: { enabled: true, tls: { certFile: "/etc/passwd", keyFile: "key.pem" } } } }, path: "components.proxy.tls.keyFile", message: /absolute path/ },
  { class: "wrong type", what: "a proxy certificate path with a colon", config: { components: { proxy: { enabled: true, tls: { certFile: "/etc/a:b.pem", keyFile: "/etc/passwd" } } } }, path: "components.proxy.tls.certFile", message: /":" or ","/ },
  { class: "wrong type", what: "a directory as the proxy certificate", config: { components: { proxy: { enabled: true, tls: { certFile: "/etc", keyFile: "/etc/passwd" } } } }, path: "components.proxy.tls.certFile", message: /not a file/ },
  { class: "wrong type", what: "a proxy host name with a space", config: { components: { proxy: { enabled: true, hostname: "obs example.com" } } }, path: "components.proxy.hostname", message: /host name/ },
  { class: "wrong type", what: "a basic auth user with a colon", config: { components: { proxy: { enabled: true, user: "ad:min" } } }, path: "components.proxy.user" },
  { class: "Compose $", what: "a proxy host name with $", config: { components: { proxy: { enabled: true, hostname: "obs$HOST" } } }, path: "components.proxy.hostname" },
  { class: "unknown key", what: "a misspelt remote-write queue setting", config: remoteWrite({ queue: { maxShard: 10 } }), path: "metrics.remoteWrite[0].queue.maxShard", message: /unknown key/ },
  { class: "out of range", what: "a remote-write queue of 0 shards", config: remoteWrite({ queue: { maxShards: 0 } }), path: "metrics.remoteWrite[0].queue.maxShards", message: /at least 1/ },
  { class: "bad duration", what: "a remote-write backoff in words", config: remoteWrite({ queue: { minBackoff: "30 millis" } }), path: "metrics.remoteWrite[0].queue.minBackoff" },
  { class: "bad URL", what: "a remote-write URL with credentials", config: remoteWrite({ url: "https://user:secret@mimir.example/api/v1/push" }), path: "metrics.remoteWrite[0].url", message: /credentials/ },
  { class: "Compose $", what: "$ in a remote-write query URL, which Grafana would expand", config: remoteWrite({ queryUrl: "http://thanos-query:10902/${TENANT}" }), path: "metrics.remoteWrite[0].queryUrl", message: /must not contain "\$"/ },
  { class: "wrong type", what: "a remote-write password instead of its variable's name", config: remoteWrite({ basicAuth: { username: "u", passwordEnv: "hunter2" } }), path: "metrics.remoteWrite[0].basicAuth.passwordEnv", message: /NAME of an environment variable/ },
  { class: "duplicate", what: "two remote-write targets of one name", config: remoteWrite({ name: "thanos" }, { name: "thanos" }), path: "metrics.remoteWrite[1].name", message: /duplicate remote-write target name/ },
  { class: "cross-field", what: "remote-write with Prometheus disabled", config: { ...remoteWrite({}), components: { prometheus: { enabled: false } } }, path: "metrics.remoteWrite", message: /components.prometheus is disabled/ },
  { class: "cross-field", what: "basic auth and a bearer token on one target", config: remoteWrite({ basicAuth: { username: "u", passwordEnv: "RW_PASSWORD" }, bearerTokenEnv: "RW_TOKEN" }), path: "metrics.remoteWrite[0].bearerTokenEnv", message: /together with basicAuth/ },
  { class: "cross-field", what: "more remote-write minShards than maxShards", config: remoteWrite({ queue: { minShards: 8, maxShards: 4 } }), path: "metrics.remoteWrite[0].queue.minShards", message: /more than queue.maxShards/ },
  { class: "cross-field", what: "a remote-write maxBackoff below minBackoff", config: remoteWrite({ queue: { minBackoff: "10s" } }), path: "metrics.remoteWrite[0].queue.maxBackoff", message: /shorter than queue.minBackoff \(10s\)/ },
  { class: "cross-field", what: "two remote-write targets Grafana should read from", config: remoteWrite({ queryUrl: "http://a:9090" }, { queryUrl: "http://b:9090" }), path: "metrics.remoteWrite[1].queryUrl", message: /reads from one place/ },
  { class: "port collision", what: "the proxy on Grafana's port", config: { components: { proxy: { enabled: true, port: 3000 } } }, path: "components.proxy.port" },
  { class: "cross-field", what: "agent hosts without the proxy they ship through", config: { hosts: [{ name: "web-1" }] }, path: "hosts", message: /through the proxy, which is disabled/ },
  { class: "duplicate", what: "two hosts of one name", config: withHosts([{ name: "web-1" }, { name: "web-1" }]), path: "hosts[1].name", message: /duplicate host name "web-1"/ },
  { class: "label name", what: "a host label named like the one the stack sets", config: withHosts([{ name: "web-1", labels: { host: "other" } }]), path: 'hosts[0].labels.host', message: /a label the stack sets itself/ },
  { class: "wrong type", what: "a host name with capitals (it becomes a label value, a path and a variable name)", config: withHosts([{ name: "Web1" }]), path: "hosts[0].name", message: /lowercase/ },
  { class: "wrong type", what: "a relative agent CA file", config: withHosts([{ name: "web-1" }], { agents: { caFile: "ca.pem" } }), path: "agents.caFile", message: /absolute path/ },
  { class: "port collision", what: "the agent's OTLP and Fluent Forward ports equal", config: withHosts([{ name: "web-1" }], { agents: { fluentPort: 4318 } }), path: "agents.fluentPort", message: /also agents.otlpPort/ },
  { class: "label name", what: "an Authorization header on a remote-write target (credentials have their fields)", config: remoteWrite({ headers: { Authorization: "Bearer x" } }), path: "metrics.remoteWrite[0].headers.Authorization", message: /credentials/ },
  { class: "Compose $", what: "$ in a trace backend's header value", config: { traces: { export: [{ name: "tempo", endpoint: "http://tempo:4318", headers: { "X-Scope-OrgID": "${TENANT}" } }] } }, path: "traces.export[0].headers.X-Scope-OrgID", message: /"\$"/ },
  { class: "label name", what: "a header name with a space", config: { traces: { export: [{ name: "tempo", endpoint: "http://tempo:4318", headers: { "X Org": "a" } }] } }, path: 'traces.export[0].headers["X Org"]', message: /HTTP header name/ },
  { class: "cross-field", what: "trace backends with the Collector disabled", config: { traces: { export: [{ name: "tempo", endpoint: "http://tempo:4318" }] }, components: { otelCollector: { enabled: false } }, demo: { enabled: false } }, path: "traces.export", message: /it is disabled/ },
  { class: "cross-field", what: "two trace backends Grafana should read from", config: { traces: { export: [{ name: "a", endpoint: "http://a:4318", queryUrl: "http://a:16686" }, { name: "b", endpoint: "http://b:4318", queryUrl: "http://b:16686" }] } }, path: "traces.export[1].queryUrl", message: /reads from one place/ },
  { class: "wrong type", what: "a trace backend protocol that OTLP does not have", config: { traces: { export: [{ name: "a", endpoint: "http://a:4318", protocol: "thrift" }] } }, path: "traces.export[0].protocol" },
  { class: "bad URL", what: "an agents' central URL with credentials", config: withHosts([{ name: "web-1" }], { agents: { centralUrl: "https://u:p@obs.example.com:8443" } }), path: "agents.centralUrl", message: /credentials/ },
];

interface BadEnvironment {
  what: string;
  files: Record<string, string>;
  config?: string;
  code: ErrorCode;
  cause: RegExp;
}

const config = (body: string) => ({ "stack.config.ts": body });

const ENVIRONMENTS: readonly BadEnvironment[] = [
  { what: "no config file", files: {}, code: "CONFIG_NOT_FOUND", cause: /No stack config found/ },
  { what: "--config naming a missing file", files: config("export default {};"), config: "other.config.ts", code: "CONFIG_NOT_FOUND", cause: /other\.config\.ts/ },
  { what: "a config that does not compile", files: config("export default { services: [ };"), code: "CONFIG_IMPORT_FAILED", cause: /stack\.config\.ts/ },
  { what: "a config that throws on import", files: config('throw new Error("boom");\nexport default {};'), code: "CONFIG_IMPORT_FAILED", cause: /boom/ },
  { what: "a config without a default export", files: config("export const stack = {};"), code: "CONFIG_IMPORT_FAILED", cause: /no default export/ },
  { what: "a getter that throws while the config is read", files: config('export default { get services() { throw new Error("lazy"); } };'), code: "CONFIG_IMPORT_FAILED", cause: /lazy/ },
  { what: "a .env that leaves a secret empty, for up", files: { ...config('export default { exporters: { redis: [{ name: "c", address: "redis:6379", passwordEnv: "OBS_TEST_UNSET_REDIS" }] } };'), ".env": "OBS_TEST_UNSET_REDIS=\n" }, code: "CONFIG_INVALID", cause: /OBS_TEST_UNSET_REDIS is not set/ },
];

function countsByClass(): string {
  const counts = new Map<string, number>();
  for (const entry of CORPUS) counts.set(entry.class, (counts.get(entry.class) ?? 0) + 1);
  counts.set("environment", ENVIRONMENTS.length);
  return [...counts].map(([name, count]) => `${name} ${count}`).join(", ");
}

describe(`bad configs and environments: ${CORPUS.length + ENVIRONMENTS.length} (${countsByClass()})`, () => {
  it.for(CORPUS.map((entry) => [`${entry.class}: ${entry.what}`, entry] as const))("%s", ([, entry]) => {
    const outcome = tryParse(entry.config, { mode: entry.mode ?? "generate" });
    expect(outcome.ok, "the config must be refused").toBe(false);
    const issues = outcome.ok ? [] : outcome.issues;
    const issue = issues.find((candidate) => candidate.path === entry.path);
    expect(issue, `an issue at ${entry.path}; got ${JSON.stringify(issues)}`).toBeDefined();
    if (entry.message) expect(issue!.message).toMatch(entry.message);
  });

  it.for(ENVIRONMENTS.map((entry) => [entry.what, entry] as const))("environment: %s", async ([, entry]) => {
    const dir = tempProject(entry.files);
    const error = await loadStack({ config: entry.config, cwd: dir, mode: "up" }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(StackError);
    expect((error as StackError).code).toBe(entry.code);
    const text = error instanceof ConfigError ? error.issues.map((issue) => issue.message).join("\n") : (error as StackError).message;
    expect(text).toMatch(entry.cause);
  });

  it("the CLI exits 1 with the path, never an internal error, for a config that tried to inject a route", () => {
    const dir = tempProject(config('export default { alerting: { receivers: [{ name: "team\\n    - receiver: evil", webhook: { url: "http://h:1" } }] } };\n'));
    writeFileSync(join(dir, ".env"), "GRAFANA_ADMIN_PASSWORD=x\n");
    const run = runCli(dir, ["generate"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("alerting.receivers[0].name: contains a line break (U+000A) at position 5");
    expect(run.stderr).not.toContain("internal error");
  });
});
