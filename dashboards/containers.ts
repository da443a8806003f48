/**
 * Containers on the Docker host, seen by cAdvisor: CPU, memory against the limit, restarts, OOM
 * events, network. Containers are identified by `name` (the stack runs cAdvisor without labels).
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { SERVICE_NAMES } from "../scripts/stack/catalog/components.ts";
import type { DashboardContext } from "./lib/context.ts";
import { type BuiltDashboard, DashboardDraft } from "./lib/draft.ts";
import { statPanel, thresholds, timeseriesPanel } from "./lib/panels.ts";
import { prom } from "./lib/queries.ts";
import { promLabelValues } from "./lib/variables.ts";

const CADVISOR = `job="${SERVICE_NAMES.cadvisor}"`;
/** One Docker host at a time: this one, or a host whose agent ships its cAdvisor (instance = the host's name). */
const ON_HOST = `${CADVISOR}, instance=~"$instance"`;
/** Only named series are Docker containers; the others are the host's cgroups. */
const SELECTED = `${ON_HOST}, name=~"$container"`;

export function containers(_context: DashboardContext): BuiltDashboard {
  const draft = new DashboardDraft("containers", {
    title: "Containers",
    description: "Docker containers on the stack's host or an agent's (Host), from cAdvisor: resources, limits, restarts and OOM kills.",
    refresh: "1m",
    from: "now-3h",
    variables: [
      promLabelValues("instance", `container_start_time_seconds{${CADVISOR}}`, { label: "Host" }),
      promLabelValues("container", `container_start_time_seconds{${ON_HOST}, name!=""}`, { label: "Container", labelName: "name", allValue: ".+" }),
    ],
  });

  return draft
    .row("Overview")
    .panel(statPanel("Containers", { unit: units.NoUnit }), [prom(`count(container_start_time_seconds{${SELECTED}})`, { instant: true })], { w: 6, h: 4 })
    .panel(
      statPanel("Restarts (15m)", {
        unit: units.NoUnit,
        description: "New start times of the same container; more than 2 in 15 minutes fires ContainerRestarting.",
        thresholds: thresholds("green", [1, "orange"], [3, "red"]),
      }),
      [prom(`sum(changes(container_start_time_seconds{${SELECTED}}[15m]))`, { instant: true })],
      { w: 6, h: 4 },
    )
    .panel(
      statPanel("OOM events in range", { unit: units.NoUnit, description: "Kernel OOM kills inside the containers (ContainerOomKilled).", thresholds: thresholds("green", [1, "red"]) }),
      // cAdvisor exports the counter at 0 for every container, so a healthy stack shows 0, not "No data".
      [prom(`sum(increase(container_oom_events_total{${SELECTED}}[$__range]))`, { instant: true })],
      { w: 6, h: 4 },
    )
    .panel(
      statPanel("Memory in use", { unit: units.BytesIEC, description: "Working set of the selected containers: what counts against their limits." }),
      [prom(`sum(container_memory_working_set_bytes{${SELECTED}})`)],
      { w: 6, h: 4 },
    )
    .row("Resources")
    .panel(
      timeseriesPanel("CPU by container", { unit: units.PercentUnit, min: 0, description: "100% = one CPU core." }),
      [prom(`sum by (name) (rate(container_cpu_usage_seconds_total{${SELECTED}}[$__rate_interval]))`, { legend: "{{name}}" })],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Memory vs. limit", {
        unit: units.PercentUnit,
        min: 0,
        description: "Working set over the memory limit; at 100% the container is OOM-killed. Containers without a limit are left out.",
        thresholdLines: thresholds("transparent", [0.9, "red"]),
      }),
      [prom(`max by (name) (container_memory_working_set_bytes{${SELECTED}} / (container_spec_memory_limit_bytes{${SELECTED}} > 0))`, { legend: "{{name}}" })],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Memory working set", { unit: units.BytesIEC, min: 0 }),
      [prom(`sum by (name) (container_memory_working_set_bytes{${SELECTED}})`, { legend: "{{name}}" })],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("CPU throttling", { unit: units.PercentUnit, min: 0, description: "Share of CFS periods in which the container was throttled (ContainerCpuThrottled)." }),
      [
        prom(
          `sum by (name) (rate(container_cpu_cfs_throttled_periods_total{${SELECTED}}[$__rate_interval])) / (sum by (name) (rate(container_cpu_cfs_periods_total{${SELECTED}}[$__rate_interval])) > 0)`,
          { legend: "{{name}}", expectsData: "Only containers with a CPU limit have CFS periods; the stack sets memory limits only." },
        ),
      ],
      { w: 12, h: 8 },
    )
    .row("Lifecycle and network")
    .panel(
      timeseriesPanel("Restarts", { unit: units.NoUnit, min: 0, bars: true }),
      [prom(`sum by (name) (changes(container_start_time_seconds{${SELECTED}}[$__rate_interval]))`, { legend: "{{name}}" })],
      { w: 8, h: 8 },
    )
    .panel(
      timeseriesPanel("OOM events", { unit: units.NoUnit, min: 0, bars: true }),
      [prom(`sum by (name) (increase(container_oom_events_total{${SELECTED}}[$__rate_interval]))`, { legend: "{{name}}" })],
      { w: 8, h: 8 },
    )
    .panel(
      timeseriesPanel("Network traffic", { unit: units.BytesPerSecondIEC, min: 0 }),
      [
        prom(`sum by (name) (rate(container_network_receive_bytes_total{${SELECTED}}[$__rate_interval]))`, { legend: "{{name}} in" }),
        prom(`sum by (name) (rate(container_network_transmit_bytes_total{${SELECTED}}[$__rate_interval]))`, { legend: "{{name}} out" }),
      ],
      { w: 8, h: 8 },
    )
    .build();
}
