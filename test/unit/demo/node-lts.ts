/**
 * Node.js LTS release lines and their support dates, copied from the Node.js Release Working
 * Group's schedule: https://github.com/nodejs/Release/blob/main/schedule.json (checked 2026-11-29;
 * 26.x became LTS with v26.13.0 on 2026-10-28). Odd majors never become LTS and are left out, so a
 * base image on one is reported as "not an LTS line". Add the next line when it is promoted.
 */
export interface LtsLine {
  codename: string;
  /** First day of Active LTS. */
  lts: string;
  /** First day of Maintenance LTS. */
  maintenance: string;
  /** Last supported day. */
  end: string;
}

export const NODE_LTS_LINES: Readonly<Record<number, LtsLine>> = {
  20: { codename: "Iron", lts: "2023-10-24", maintenance: "2024-10-22", end: "2026-04-30" },
  22: { codename: "Jod", lts: "2024-10-29", maintenance: "2025-10-21", end: "2027-04-30" },
  24: { codename: "Krypton", lts: "2025-10-28", maintenance: "2026-10-20", end: "2028-04-30" },
  26: { codename: "Lithium", lts: "2026-10-28", maintenance: "2027-10-20", end: "2029-04-30" },
};

/** Why a Node.js major is not a supported LTS line on `day` (YYYY-MM-DD), or undefined when it is. */
export function ltsProblem(major: number, day: string): string | undefined {
  const line = NODE_LTS_LINES[major];
  if (!line) return `Node.js ${major} is not an LTS line in test/unit/demo/node-lts.ts`;
  if (day < line.lts) return `Node.js ${major} only becomes LTS on ${line.lts}`;
  if (day > line.end) return `Node.js ${major} "${line.codename}" reached end of life on ${line.end}`;
  return undefined;
}
