/** Small HTTP helpers for checks: bounded, JSON-aware, and with errors that say which URL failed. */
import { CheckFailure } from "./check.ts";

const REQUEST_TIMEOUT_MS = 5_000;

export async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const response = await request(url, { headers });
  return (await response.json()) as T;
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return request(url, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } });
}

async function request(url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    throw new CheckFailure(`${init.method ?? "GET"} ${redact(url)} failed`, { cause: (error as Error).cause ?? error });
  }
  if (!response.ok) {
    const text = (await response.text()).slice(0, 300);
    throw new CheckFailure(`${init.method ?? "GET"} ${redact(url)} answered ${response.status}: ${text.trim()}`);
  }
  return response;
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]+@/, "//***@");
}

export function basicAuth(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
}
