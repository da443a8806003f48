/** Human output. Commands print through this so `--json` can keep stdout machine-readable. */
export interface Output {
  info(message: string): void;
  warn(message: string): void;
  result(message: string): void;
}

export function consoleOutput(options: { json: boolean }): Output {
  // With --json, progress goes to stderr and stdout carries only the JSON document.
  const progress = options.json ? process.stderr : process.stdout;
  return {
    info: (message) => progress.write(`${message}\n`),
    warn: (message) => process.stderr.write(`warning: ${message}\n`),
    result: (message) => process.stdout.write(`${message}\n`),
  };
}
