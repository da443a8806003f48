/**
 * The request pipeline. Probe routes (health, metrics) are answered directly. Every other request
 * gets a SERVER span (continuing an incoming W3C traceparent), a histogram observation with the
 * trace id as exemplar, the active-requests gauge, and one JSON access-log line.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { type Context, defaultTextMapGetter, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, TraceFlags, trace, type Tracer } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { HANDLERS } from "./handlers.ts";
import { BodyTooLargeError, readBody, send } from "./http-io.ts";
import { type Check, healthReply, type Phase, type ProbeReply, readinessReply } from "./lifecycle.ts";
import { levelForStatus, type Logger } from "./log.ts";
import type { DemoMetrics } from "./metrics.ts";
import { faultError, runPlan, type Sleep } from "./plan-runner.ts";
import type { Rng } from "./random.ts";
import { json, type Reply } from "./reply.ts";
import { matchRoute, methodLabel, type ProbeRouteId, type RouteMatch, UNMATCHED_ROUTE } from "./router.ts";

export interface AppDeps {
  tracer: Tracer;
  metrics: DemoMetrics;
  logger: Logger;
  rng: Rng;
  sleep: Sleep;
  phase(): Phase;
  uptimeSeconds(): number;
  checks(): Record<string, Check>;
}

const BODY_LIMIT_BYTES = 64 * 1024;
const REQUEST_ID = /^[\w.-]{1,64}$/;
const propagator = new W3CTraceContextPropagator();

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

export function createApp(deps: AppDeps): RequestHandler {
  async function probe(id: ProbeRouteId, request: IncomingMessage): Promise<ProbeReply> {
    switch (id) {
      case "livez":
      case "healthz":
        return { status: 200, body: "ok\n", contentType: "text/plain; charset=utf-8" };
      case "readyz":
        return readinessReply(deps.phase());
      case "health":
        return healthReply(deps.phase(), deps.uptimeSeconds(), deps.checks());
      case "metrics": {
        const { contentType, body } = await deps.metrics.render(request.headers.accept);
        return { status: 200, body, contentType };
      }
    }
  }

  async function dispatch(match: RouteMatch, url: URL, request: IncomingMessage, parent: Context, log: Logger): Promise<Reply> {
    if (match.kind === "none") return json(404, { error: `no route for ${url.pathname}` });
    if (match.kind === "method") return json(405, { error: `use ${match.allowed.join(" or ")}` }, { headers: { allow: match.allowed.join(", ") } });
    if (match.route.kind !== "app") throw new Error(`probe route ${match.route.id} reached the traced pipeline`);
    return HANDLERS[match.route.id]({
      params: match.params,
      query: url.searchParams,
      readBody: () => readBody(request, BODY_LIMIT_BYTES),
      run: (plan) => runPlan(deps.tracer, parent, plan, deps.sleep),
      sleep: deps.sleep,
      log,
      rng: deps.rng,
    });
  }

  function finishSpan(span: Span, reply: Reply): void {
    span.setAttribute("http.response.status_code", reply.status);
    if (reply.fault) span.recordException(faultError(reply.fault));
    // 4xx are the client's doing: per the HTTP semantic conventions they leave a server span unset.
    if (reply.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: reply.fault?.message ?? `HTTP ${reply.status}` });
    span.end();
  }

  async function observed(request: IncomingMessage, response: ServerResponse, url: URL, match: RouteMatch): Promise<void> {
    const started = performance.now();
    const requestDone = deps.metrics.requestStarted();
    const method = methodLabel(request.method ?? "GET");
    const route = match.kind === "none" ? UNMATCHED_ROUTE : match.route.template;
    const incomingId = request.headers["x-request-id"];
    const requestId = typeof incomingId === "string" && REQUEST_ID.test(incomingId) ? incomingId : randomBytes(8).toString("hex");

    const span = deps.tracer.startSpan(
      `${method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "http.request.method": method,
          "http.route": route,
          "url.path": url.pathname,
          "url.scheme": "http",
          ...(url.search ? { "url.query": url.search.slice(1) } : {}),
          ...(request.headers["user-agent"] ? { "user_agent.original": request.headers["user-agent"] } : {}),
          "client.address": request.socket.remoteAddress ?? "",
          "request.id": requestId,
        },
      },
      propagator.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter),
    );
    const { traceId, spanId, traceFlags } = span.spanContext();
    const sampled = (traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
    const log = deps.logger.with({ trace_id: traceId, span_id: spanId, request_id: requestId, http_route: route, http_request_method: method });

    let reply: Reply;
    try {
      reply = await dispatch(match, url, request, trace.setSpan(ROOT_CONTEXT, span), log);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        reply = json(413, { error: error.message });
      } else {
        span.recordException(error as Error);
        log.error(`unhandled error: ${(error as Error).stack ?? String(error)}`);
        reply = json(500, { error: "internal error" });
      }
    }
    send(request, response, reply, { "x-request-id": requestId, "x-trace-id": traceId });
    finishSpan(span, reply);

    const seconds = (performance.now() - started) / 1000;
    deps.metrics.observe({ method, route, status: reply.status, seconds, ...(sampled ? { traceId } : {}) });
    requestDone();
    log[levelForStatus(reply.status)](`${request.method} ${url.pathname}${url.search} ${reply.status}`, {
      status: reply.status,
      duration_ms: Math.round(seconds * 10_000) / 10,
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://demo");
    const match = matchRoute(request.method ?? "GET", url.pathname);
    if (match.kind === "found" && match.route.kind === "probe") {
      send(request, response, await probe(match.route.id, request), { "cache-control": "no-store" });
      return;
    }
    await observed(request, response, url, match);
  }

  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      deps.logger.error(`request failed outside the pipeline: ${(error as Error).stack ?? String(error)}`);
      send(request, response, json(500, { error: "internal error" }));
    });
  };
}
