import { describe, expect, it } from "vitest";
import { findNotification } from "../../../bench/alert-latency.ts";

// Alertmanager's webhook payload (version 4), reduced to what the bench reads.
const notification = (status: string, alerts: Array<[string, string, string]>) =>
  JSON.stringify({ version: "4", status, alerts: alerts.map(([alertStatus, alertname, service]) => ({ status: alertStatus, labels: { alertname, service, severity: "critical" } })) });

const demoDown = { alert: "ServiceDown", service: "demo" };
const demoProbe = { alert: "HealthProbeFailing", service: "demo" };

describe("findNotification", () => {
  const bodies = [
    notification("firing", [["firing", "ServiceDown", "demo"]]),
    notification("firing", [["firing", "Watchdog", ""], ["firing", "ServiceDown", "sample-api"]]),
    notification("resolved", [["resolved", "ServiceDown", "demo"]]),
    notification("firing", [["resolved", "HealthProbeFailing", "demo"], ["firing", "HealthProbeFailing", "other"]]),
  ];

  it("finds the first notification, from the given index on, in which the alert about the service has that status", () => {
    expect(findNotification(bodies, 0, demoDown, "firing")).toBe(0);
    expect(findNotification(bodies, 0, demoDown, "resolved")).toBe(2);
    expect(findNotification(bodies, 3, demoProbe, "resolved")).toBe(3);
  });

  it("ignores notifications before the index, other services, other alerts and the other status", () => {
    expect(findNotification(bodies, 1, demoDown, "firing")).toBeUndefined();
    expect(findNotification(bodies, 0, demoProbe, "firing")).toBeUndefined();
  });
});
