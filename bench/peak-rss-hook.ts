/**
 * Preloaded (`--import`) into each process the bench measures: at exit, the process's peak resident
 * memory goes to the file named by BENCH_PEAK_RSS_FILE. From inside, because the parent cannot ask
 * spawnSync for it and `/usr/bin/time -v` is not on every machine.
 */
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_PEAK_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
