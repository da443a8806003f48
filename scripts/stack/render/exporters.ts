/** Per-instance exporter containers (postgres, redis) derived from `exporters` in the config. */
import type { StackModel } from "../config/model.ts";

export interface ExporterContainer {
  kind: "postgres" | "redis";
  name: string;
  serviceName: string;
  port: number;
  image: string;
  /** Environment for the container; secret values are read from /run/secrets files. */
  environment: Array<{ name: string; value: string }>;
  secrets: string[];
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
        // postgres_exporter has no *_FILE variant for a full DSN, so the DSN comes from Compose's
        // environment interpolation of the variable the user named.
        environment: [{ name: "DATA_SOURCE_NAME", value: `\${${pg.dsnEnv}:?set ${pg.dsnEnv} in .env}` }],
        secrets: [],
      }),
    ),
    ...redis.map(
      (r): ExporterContainer => ({
        kind: "redis",
        name: r.name,
        serviceName: `redis-exporter-${r.name}`,
        port: 9121,
        image: model.images.redisExporter,
        environment: [
          { name: "REDIS_ADDR", value: `redis://${r.address}` },
          ...(r.passwordEnv ? [{ name: "REDIS_PASSWORD_FILE", value: `/run/secrets/${r.passwordEnv.toLowerCase()}` }] : []),
        ],
        secrets: r.passwordEnv ? [r.passwordEnv.toLowerCase()] : [],
      }),
    ),
  ];
}
