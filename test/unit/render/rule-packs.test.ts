import { existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { renderBundle, renderRuleTests } from "../../../scripts/stack/bundle/bundle.ts";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";
import { loadGoldenModel } from "../../helpers/golden-configs.ts";

interface RuleFile {
  groups: Array<{ rules: Array<{ alert?: string; labels?: Record<string, string>; annotations?: Record<string, string> }> }>;
}
interface TestFile {
  tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
}

describe("alert rules in the everything bundle", async () => {
  const model = await loadGoldenModel("everything");
  const bundle = renderBundle(model);
  const ruleFiles = [...bundle].filter(([path]) => /^prometheus\/rules\/[^/]+\.yml$/.test(path));
  const alerts = ruleFiles.flatMap(([, text]) => (parse(text) as RuleFile).groups.flatMap((group) => group.rules.filter((rule) => rule.alert)));
  const testFiles = [...renderRuleTests(model)];
  const tested = testFiles.flatMap(([, text]) =>
    (parse(text) as TestFile).tests.flatMap((test) => (test.alert_rule_test ?? []).filter((t) => t.exp_alerts.length > 0).map((t) => t.alertname)),
  );

  it("every alert has severity and category labels, a summary, a description and an existing runbook", () => {
    expect(alerts.length).toBeGreaterThan(5);
    for (const alert of alerts) {
      expect(alert.labels?.severity, alert.alert).toMatch(/^(critical|warning|info|none)$/);
      expect(alert.labels?.category, alert.alert).toBeTruthy();
      expect(alert.annotations?.summary, alert.alert).toBeTruthy();
      expect(alert.annotations?.description, alert.alert).toBeTruthy();
      expect(existsSync(join(REPO_ROOT, alert.annotations!.runbook_url!)), `${alert.alert}: ${alert.annotations?.runbook_url}`).toBe(true);
    }
  });

  const silent = testFiles.flatMap(([, text]) =>
    (parse(text) as TestFile).tests.flatMap((test) => (test.alert_rule_test ?? []).filter((t) => t.exp_alerts.length === 0).map((t) => t.alertname)),
  );

  it("every alert has a promtool unit test in which it fires", () => {
    for (const alert of alerts) expect(tested, `${alert.alert} has no firing unit test`).toContain(alert.alert);
  });

  it("every alert but the always-firing Watchdog has a promtool unit test in which it stays silent", () => {
    for (const alert of alerts.filter((a) => a.alert !== "Watchdog")) expect(silent, `${alert.alert} has no staying-silent unit test`).toContain(alert.alert);
  });
});
