import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { CheckFailure, FatalCheckFailure, once, runCheck } from "../../../scripts/stack/checks/check.ts";
import { outcomesJunit } from "../../../scripts/stack/checks/report.ts";
import { startWebhookSink } from "../../../scripts/stack/checks/webhook-sink.ts";

describe("running a check", () => {
  it("retries until the condition holds", async () => {
    let calls = 0;
    const outcome = await runCheck({
      name: "eventually",
      deadlineSeconds: 10,
      attempt: async () => {
        calls++;
        if (calls < 2) throw new CheckFailure("not yet");
        return "done";
      },
    });
    expect(outcome).toMatchObject({ status: "pass", message: "done" });
    expect(calls).toBe(2);
  });

  it("fails with the last reason once the deadline passes", async () => {
    const outcome = await runCheck({ name: "never", deadlineSeconds: 1, attempt: async () => Promise.reject(new CheckFailure("still broken")) });
    expect(outcome.status).toBe("fail");
    expect(outcome.message).toBe("still broken (gave up after 1s)");
  });

  it("stops at once on a fatal failure", async () => {
    let calls = 0;
    const outcome = await runCheck({
      name: "fatal",
      deadlineSeconds: 30,
      attempt: async () => {
        calls++;
        throw new FatalCheckFailure("cannot start the sink");
      },
    });
    expect(outcome).toMatchObject({ status: "fail", message: "cannot start the sink" });
    expect(calls).toBe(1);
  });

  it("reports a skip with its reason without running", async () => {
    const outcome = await runCheck({ name: "skip", deadlineSeconds: 1, skipReason: "not checked: x disabled", attempt: () => Promise.reject(new Error("ran")) });
    expect(outcome).toMatchObject({ status: "skipped", message: "not checked: x disabled" });
  });

  it("surfaces the network cause hidden inside fetch errors", async () => {
    const port = await closedPort();
    const outcome = await runCheck({ name: "refused", deadlineSeconds: 1, attempt: async () => (await fetch(`http://127.0.0.1:${port}/`)).text() });
    expect(outcome.message).toMatch(/fetch failed: ECONNREFUSED/);
  });
});

describe("once", () => {
  it("runs the action once, but again after a failure", async () => {
    let calls = 0;
    const flaky = once(async () => {
      calls++;
      if (calls === 1) throw new Error("first fails");
      return calls;
    });
    await expect(flaky()).rejects.toThrow("first fails");
    expect(await flaky()).toBe(2);
    expect(await flaky()).toBe(2);
  });
});

describe("JUnit report", () => {
  it("counts failures and skips and escapes messages", () => {
    const xml = outcomesJunit("suite", [
      { name: "a", status: "pass", message: "ok", durationMs: 1200 },
      { name: "b <x>", status: "fail", message: 'got "1" & <2>', durationMs: 10 },
      { name: "c", status: "skipped", message: "disabled", durationMs: 0 },
    ]);
    expect(xml).toContain('<testsuite name="suite" tests="3" failures="1" skipped="1" time="1.210">');
    expect(xml).toContain('<testcase classname="suite" name="b &lt;x&gt;" time="0.010">\n    <failure message="got &quot;1&quot; &amp; &lt;2&gt;"/>');
    expect(xml).toContain('<skipped message="disabled"/>');
  });
});

describe("webhook sink", () => {
  it("records what is posted to it", async () => {
    const port = await closedPort();
    const fixed = await startWebhookSink("127.0.0.1", port);
    try {
      await fetch(`http://127.0.0.1:${port}/alerts`, { method: "POST", body: '{"run_id":"abc"}' });
      expect(fixed.received).toEqual(['{"run_id":"abc"}']);
    } finally {
      await fixed.close();
    }
  });
});

/** A port that was free a moment ago: bind to 0, read the port, close. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
