import { describe, expect, it } from "vitest";
import { spread } from "../../../bench/stats.ts";

describe("spread", () => {
  it("gives the median with min and max, whatever the order of the samples", () => {
    expect(spread([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30 });
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
  });

  it("refuses to summarize nothing", () => {
    expect(() => spread([])).toThrow("no samples");
  });
});
