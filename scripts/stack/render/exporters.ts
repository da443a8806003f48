/** Per-instance exporter containers (postgres, redis) derived from `exporters` in the config. */
import type { StackModel } from "../config/model.ts";

export interface ExporterContainer {
  kind: "postgres" | "redis";
  name: string;
  serviceName: string;
  port: number;
  image: string;
  /** Environment for the container; exporter secrets are `${VAR}` references Compose interpolates. */
  environment: Array<{ name: string; value: string }>;
}

export function exporterContainers(model: StackModel): ExporterContainer[] {
  const { postgres, redis } = model.config.exporters;
  return [
    ...postgres.map(
      (pg): ExporterContainer => ({
        kind: "postgres",
        name: pg.name,
        serviceName: `postgres-exporter-${pg.name}`,
        port: 9187,
        image: model.images.postgresExporter,
        // postgres_exporter reads a full DSN only from the environment, so Compose interpolates the
        // variable the user named (visible in `docker inspect`; `up` refuses to start when unset).
        environment: [{ name: "DATA_SOURCE_NAME", value: `\${${pg.dsnEnv}:-}` }],
      }),
    ),
    ...redis.map(
      (r): ExporterContainer => ({
        kind: "redis",
        name: r.name,
        serviceName: `redis-exporter-${r.name}`,
        port: 9121,
        image: model.images.redisExporter,
        // REDIS_PASSWORD_FILE expects a JSON map of URIs to passwords, which would put the secret in
        // a generated file; the plain variable is interpolated by Compose instead.
        environment: [
          { name: "REDIS_ADDR", value: `redis://${r.address}` },
          ...(r.passwordEnv ? [{ name: "REDIS_PASSWORD", value: `\${${r.passwordEnv}:-}` }] : []),
        ],
      }),
    ),
  ];
}
