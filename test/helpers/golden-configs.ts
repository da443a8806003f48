/** The representative configs whose bundles are golden-tested and validated. */
import { join } from "node:path";
import { importConfigModule } from "../../scripts/stack/config/import-config.ts";
import { REPO_ROOT } from "../../scripts/stack/render/templates.ts";
import { parseStack } from "../../scripts/stack/resolve/load.ts";
import type { ResolvedStack } from "../../scripts/stack/resolve/resolve-stack.ts";

export const GOLDEN_CONFIG_NAMES = ["default", "minimal", "metrics-only", "everything", "alloy", "promtail", "existing-backends"] as const;
export type GoldenConfigName = (typeof GOLDEN_CONFIG_NAMES)[number];

export const GOLDEN_DIR = join(REPO_ROOT, "test", "golden");

/** Placeholder values for the secrets the configs reference, so Compose can interpolate them. */
export const FAKE_SECRET_ENV: Readonly<Record<string, string>> = {
  GRAFANA_ADMIN_PASSWORD: "golden-test-password",
  PG_MAIN_DSN: "postgresql://user:pass@db:5432/main?sslmode=disable",
  ORDERS_PG_DSN: "postgresql://user:pass@orders-db:5432/orders?sslmode=disable",
  REDIS_PASSWORD: "redis-pass",
  PAGERDUTY_ROUTING_KEY: "pd-key",
  OPSGENIE_API_KEY: "og-key",
  SLACK_WEBHOOK_URL: "https://hooks.slack.example/services/T/B/X",
  SMTP_PASSWORD: "smtp-pass",
  AUDIT_WEBHOOK_URL: "https://audit.example/hook?token=x",
  THANOS_PASSWORD: "thanos-pass",
  VM_TOKEN: "vm-token",
  TEMPO_TOKEN: "tempo-token",
  LOKI_TOKEN: "loki-token",
  MIMIR_TOKEN: "mimir-token",
};

export async function loadGoldenModel(name: GoldenConfigName): Promise<ResolvedStack> {
  const configFile = join(GOLDEN_DIR, "configs", `${name}.ts`);
  const raw = await importConfigModule(configFile);
  return parseStack(raw, { configFile, env: FAKE_SECRET_ENV, mode: "up" }).model;
}
