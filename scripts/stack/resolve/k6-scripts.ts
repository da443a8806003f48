/** The k6 script of each service with HTTP checks: `npm run synthetics` renders and runs it, `npm run validate` checks it. */
import type { ServiceConfig } from "../config/schema.ts";
import type { HttpSyntheticCheck, ServiceChecks } from "./checks.ts";

export interface K6Script {
  service: ServiceConfig;
  /** File name in the k6 scripts directory (render/k6.ts); k6 runs TypeScript itself, so the scripts are .ts. */
  file: string;
  /** k6 speaks HTTP only: TCP checks stay with blackbox. */
  checks: HttpSyntheticCheck[];
}

export function k6Scripts(services: readonly ServiceChecks[]): K6Script[] {
  return services.flatMap(({ service, checks }) => {
    const http = checks.filter((check): check is HttpSyntheticCheck => check.kind === "http");
    return http.length > 0 ? [{ service, file: `${service.name}.ts`, checks: http }] : [];
  });
}
