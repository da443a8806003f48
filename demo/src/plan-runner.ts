/** Plays a plan: one CLIENT child span per downstream step, really waiting out its duration. */
import { type Context, SpanKind, SpanStatusCode, type Tracer } from "@opentelemetry/api";
import type { Fault, Plan } from "./model.ts";

export type Sleep = (ms: number) => Promise<void>;

/** The exception a fault stands for, typed by name so traces group failures by cause. */
export function faultError(fault: Fault): Error {
  const error = new Error(fault.message);
  error.name = fault.type;
  return error;
}

/** Returns the fault that ended the plan, if any. */
export async function runPlan(tracer: Tracer, parent: Context, plan: Plan, sleep: Sleep): Promise<Fault | undefined> {
  for (const step of plan.steps) {
    const span = tracer.startSpan(step.name, { kind: SpanKind.CLIENT, attributes: step.attributes }, parent);
    await sleep(step.durationMs);
    if (step.fault) {
      span.recordException(faultError(step.fault));
      span.setStatus({ code: SpanStatusCode.ERROR, message: step.fault.message });
      span.end();
      return step.fault;
    }
    span.end();
  }
  return undefined;
}
