/** Check results as a human table, JUnit XML (for CI systems) and JSON. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { formatTable } from "../table.ts";
import type { CheckOutcome } from "./check.ts";

const MARK = { pass: "PASS", fail: "FAIL", skipped: "SKIP" } as const;

export function outcomesTable(outcomes: readonly CheckOutcome[]): string {
  return formatTable(
    ["result", "check", "time", "detail"],
    outcomes.map((o) => [MARK[o.status], o.name, `${(o.durationMs / 1000).toFixed(1)}s`, o.message]),
  );
}

export function outcomesJunit(suite: string, outcomes: readonly CheckOutcome[]): string {
  const failures = outcomes.filter((o) => o.status === "fail").length;
  const skipped = outcomes.filter((o) => o.status === "skipped").length;
  const total = outcomes.reduce((sum, o) => sum + o.durationMs, 0) / 1000;
  const cases = outcomes.map((o) => {
    const open = `  <testcase classname="${xml(suite)}" name="${xml(o.name)}" time="${(o.durationMs / 1000).toFixed(3)}"`;
    if (o.status === "fail") return `${open}>\n    <failure message="${xml(o.message)}"/>\n  </testcase>`;
    if (o.status === "skipped") return `${open}>\n    <skipped message="${xml(o.message)}"/>\n  </testcase>`;
    return `${open}/>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="${xml(suite)}" tests="${outcomes.length}" failures="${failures}" skipped="${skipped}" time="${total.toFixed(3)}">`,
    ...cases,
    "</testsuite>",
    "",
  ].join("\n");
}

/** Writes the JUnit report, creating its directory: CI jobs name paths such as reports/smoke.xml. */
export function writeJunit(path: string, suite: string, outcomes: readonly CheckOutcome[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, outcomesJunit(suite, outcomes));
}

export function outcomesJson(suite: string, outcomes: readonly CheckOutcome[]): string {
  return JSON.stringify({ suite, passed: outcomes.every((o) => o.status !== "fail"), checks: outcomes }, null, 2);
}

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
