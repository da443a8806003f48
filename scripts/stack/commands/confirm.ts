/** Asking before destroying data: only a person at a terminal can say yes; without one the answer is no. */
import { createInterface } from "node:readline/promises";

export async function confirmByTyping(question: string, expected: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question(question)).trim() === expected;
  } finally {
    rl.close();
  }
}
