import { describe, expect, it } from "vitest";
import type { FootprintResult } from "../../../bench/footprint.ts";
import { benchmarksMarkdown } from "../../../bench/report.ts";
import type { Measured } from "../../../bench/results.ts";

const machine = { cpus: 2, cpuModel: "AMD EPYC", memoryGb: 23.5, node: "v20.20.2", platform: "linux x64", load: { before: 0.4, after: 1.1 } };
const spreadOf = (median: number, min = median, max = median) => ({ median, min, max });

describe("benchmarksMarkdown", () => {
  it("says for every section not measured yet how to measure it, instead of leaving it out", () => {
    const markdown = benchmarksMarkdown({});
    for (const section of ["generate", "up", "footprint", "alerts", "smoke", "headroom"]) expect(markdown).toContain(`npm run bench -- --only ${section}\``);
  });

  it("--quick has the generate section only", () => {
    expect(benchmarksMarkdown({}, { quick: true })).not.toContain("--only up");
  });

  it("puts each container's footprint beside its limit and the limit the policy gives it, and names what was not booted", () => {
    const footprint: Measured<FootprintResult> = {
      date: "2026-11-29T19:04:29.141Z",
      machine,
      stack: { engine: "Docker Engine 29.8.0 (API 1.56)", notBooted: { grafana: "AGPL", k6: "AGPL" } },
      result: {
        idleSeconds: 600,
        samples: 29,
        containers: [
          { service: "blackbox", component: "blackbox", workingSetMb: spreadOf(12, 7, 13), lastWorkingSetMb: 12, cpuCores: 0.005, limitMb: 128 },
          { service: "prometheus", component: "prometheus", workingSetMb: spreadOf(74, 47, 77), lastWorkingSetMb: 77, cpuCores: 0.013, limitMb: 2048 },
          { service: "demo", component: undefined, workingSetMb: spreadOf(39), lastWorkingSetMb: 40, cpuCores: 0.057, limitMb: 256 },
        ],
      },
    };
    const markdown = benchmarksMarkdown({ footprint });
    expect(markdown).toContain("| blackbox | 12 (7–13) | 12 | 0.5 | 128 | 64m (stateless) |");
    expect(markdown).toMatch(/\| prometheus \| 74 \(47–77\) \| 77 \| 1\.3 \| 2048 \| kept: /);
    expect(markdown).toContain("| demo | 39 (39–39) | 40 | 5.7 | 256 | — | — | 15% |");
    expect(markdown).toMatch(/stay as they were: Grafana \(\d+[mg]\)\./);
  });
});
