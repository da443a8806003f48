/**
 * The one module that talks to the Docker engine (through dockerode, which negotiates the API
 * version, so engines from 20.10/API 1.41 to current releases work).
 */
import { PassThrough } from "node:stream";
import Docker from "dockerode";

let client: Docker | undefined;

export function docker(): Docker {
  client ??= new Docker();
  return client;
}

export async function dockerReachable(): Promise<boolean> {
  try {
    await docker().ping();
    return true;
  } catch {
    return false;
  }
}

export async function imagePresent(image: string): Promise<boolean> {
  try {
    await docker().getImage(image).inspect();
    return true;
  } catch {
    return false;
  }
}

export interface OneShotResult {
  exitCode: number;
  output: string;
}

/** Runs a short-lived container to completion and returns its combined output. */
export async function runOneShot(options: {
  image: string;
  entrypoint?: string;
  args: string[];
  binds: string[];
}): Promise<OneShotResult> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on("data", (chunk: Buffer) => chunks.push(chunk));
  const [result] = (await docker().run(options.image, options.args, sink, {
    Entrypoint: options.entrypoint ? [options.entrypoint] : undefined,
    HostConfig: { Binds: options.binds, AutoRemove: true, NetworkMode: "none" },
    Tty: true,
  })) as [{ StatusCode: number }, unknown];
  return { exitCode: result.StatusCode, output: Buffer.concat(chunks).toString("utf8") };
}
