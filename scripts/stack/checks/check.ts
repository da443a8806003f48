/**
 * A check is a named, bounded question to the running stack. It is retried until it passes or its
 * deadline passes; a failure carries one sentence saying what is broken.
 */
export interface CheckOutcome {
  name: string;
  status: "pass" | "fail" | "skipped";
  message: string;
  durationMs: number;
}

export interface Check {
  name: string;
  /** Seconds to keep retrying before declaring failure. */
  deadlineSeconds: number;
  /** Set when the check cannot apply to this stack; the reason is reported. */
  skipReason?: string;
  /** Throws CheckFailure (or any error) while the condition does not hold; returns a pass message. */
  attempt: () => Promise<string>;
}

export class CheckFailure extends Error {
  override readonly name = "CheckFailure";
}

/** A failure that retrying cannot fix (e.g. the check's own helper could not start). */
export class FatalCheckFailure extends CheckFailure {}

const RETRY_DELAY_MS = 2_000;

export async function runCheck(check: Check): Promise<CheckOutcome> {
  const started = Date.now();
  if (check.skipReason) return { name: check.name, status: "skipped", message: check.skipReason, durationMs: 0 };
  const deadline = started + check.deadlineSeconds * 1000;
  let lastError = "no attempt finished";
  while (true) {
    try {
      const message = await check.attempt();
      return { name: check.name, status: "pass", message, durationMs: Date.now() - started };
    } catch (error) {
      lastError = describeError(error);
      if (error instanceof FatalCheckFailure) return { name: check.name, status: "fail", message: lastError, durationMs: Date.now() - started };
    }
    if (Date.now() + RETRY_DELAY_MS > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
  }
  return { name: check.name, status: "fail", message: `${lastError} (gave up after ${check.deadlineSeconds}s)`, durationMs: Date.now() - started };
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  // fetch() hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`.
  return cause?.code ? `${error.message}: ${cause.code}` : error.message;
}

/** Runs an async action on the first call only; later calls (retries) reuse its result. */
export function once<T>(action: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => {
    // A failed first attempt is retried on the next call instead of being cached.
    result ??= action().catch((error: unknown) => {
      result = undefined;
      throw error;
    });
    return result;
  };
}
