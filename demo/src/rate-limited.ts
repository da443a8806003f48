/**
 * Reports a recurring failure (span export with no collector, background traffic while the
 * server is down) at most once per interval, with how many occurrences were held back, so a
 * missing dependency produces one log line a minute instead of one per span or request.
 */
export interface FailureState {
  lastError?: string;
  lastErrorAt?: Date;
  /** Failures within the interval before `at`. */
  failingAt(at: Date): boolean;
}

export class RateLimitedReporter implements FailureState {
  lastError?: string;
  lastErrorAt?: Date;
  private lastReportedAt?: number;
  private suppressed = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly report: (message: string, suppressed: number) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  failure(message: string): void {
    const at = this.now();
    this.lastError = message;
    this.lastErrorAt = at;
    if (this.lastReportedAt !== undefined && at.getTime() - this.lastReportedAt < this.intervalMs) {
      this.suppressed += 1;
      return;
    }
    this.report(message, this.suppressed);
    this.lastReportedAt = at.getTime();
    this.suppressed = 0;
  }

  failingAt(at: Date): boolean {
    return this.lastErrorAt !== undefined && at.getTime() - this.lastErrorAt.getTime() < this.intervalMs;
  }
}
