/** The Docker host, seen by node-exporter: CPU, load, memory, disk space and IO, network. */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { SERVICE_NAMES } from "../scripts/stack/catalog/components.ts";
import type { DashboardContext } from "./lib/context.ts";
import { type BuiltDashboard, DashboardDraft } from "./lib/draft.ts";
import { barGaugePanel, gaugePanel, statPanel, thresholds, timeseriesPanel } from "./lib/panels.ts";
import { prom } from "./lib/queries.ts";
import { promLabelValues } from "./lib/variables.ts";

const NODE = `job="${SERVICE_NAMES.nodeExporter}", instance=~"$instance"`;
/** The filesystems the host alerts watch: the same exclusions as rules/host.yml. */
const FILESYSTEMS = `${NODE}, fstype!~"tmpfs|ramfs|devtmpfs|overlay|squashfs|fuse.lxcfs"`;
/** Physical and bridge-less interfaces: loopback and Docker's virtual ones are noise here. */
const INTERFACES = `${NODE}, device!~"lo|veth.*|docker.*|br-.*"`;
const CPUS = `count(node_cpu_seconds_total{${NODE}, mode="idle"})`;

export function host(_context: DashboardContext): BuiltDashboard {
  const draft = new DashboardDraft("host", {
    title: "Host",
    description: "A Docker host, from node-exporter: the one running the stack (its disks also hold the Prometheus and Loki volumes), or one whose agent ships to it (Host: its name).",
    refresh: "1m",
    from: "now-6h",
    variables: [promLabelValues("instance", `node_uname_info{job="${SERVICE_NAMES.nodeExporter}"}`, { label: "Host" })],
  });

  return draft
    .row("Overview")
    .panel(
      gaugePanel("CPU busy", { unit: units.PercentUnit, min: 0, max: 1, thresholds: thresholds("green", [0.8, "orange"], [0.9, "red"]) }),
      [prom(`1 - avg(rate(node_cpu_seconds_total{${NODE}, mode="idle"}[$__rate_interval]))`)],
      { w: 6, h: 4 },
    )
    .panel(
      gaugePanel("Memory used", { unit: units.PercentUnit, min: 0, max: 1, thresholds: thresholds("green", [0.8, "orange"], [0.9, "red"]) }),
      [prom(`1 - sum(node_memory_MemAvailable_bytes{${NODE}}) / sum(node_memory_MemTotal_bytes{${NODE}})`)],
      { w: 6, h: 4 },
    )
    .panel(
      statPanel("Load (15m) per CPU", {
        unit: units.NoUnit,
        description: "Above 1, work queues for the CPUs; HostHighLoad fires above 2 for 30 minutes.",
        thresholds: thresholds("green", [1, "orange"], [2, "red"]),
      }),
      [prom(`sum(node_load15{${NODE}}) / ${CPUS}`)],
      { w: 6, h: 4 },
    )
    .panel(statPanel("Uptime", { unit: units.DurationSeconds }), [prom(`time() - max(node_boot_time_seconds{${NODE}})`, { instant: true })], { w: 6, h: 4 })
    .row("CPU and memory")
    .panel(
      timeseriesPanel("CPU by mode", { unit: units.PercentUnit, min: 0, stacked: true, description: "Share of all CPUs; idle is left out." }),
      [prom(`sum by (mode) (rate(node_cpu_seconds_total{${NODE}, mode!="idle"}[$__rate_interval])) / scalar(${CPUS})`, { legend: "{{mode}}" })],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Load average", { unit: units.NoUnit, min: 0 }),
      [
        prom(`sum(node_load1{${NODE}})`, { legend: "1m" }),
        prom(`sum(node_load5{${NODE}})`, { legend: "5m" }),
        prom(`sum(node_load15{${NODE}})`, { legend: "15m" }),
        prom(CPUS, { legend: "CPUs" }),
      ],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Memory", { unit: units.BytesIEC, min: 0, description: "Used = total minus available (page cache the kernel can reclaim counts as available)." }),
      [
        prom(`sum(node_memory_MemTotal_bytes{${NODE}} - node_memory_MemAvailable_bytes{${NODE}})`, { legend: "used" }),
        prom(`sum(node_memory_MemAvailable_bytes{${NODE}})`, { legend: "available" }),
        prom(`sum(node_memory_MemTotal_bytes{${NODE}})`, { legend: "total" }),
      ],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Swap used", { unit: units.BytesIEC, min: 0 }),
      [prom(`sum(node_memory_SwapTotal_bytes{${NODE}} - node_memory_SwapFree_bytes{${NODE}})`, { legend: "swap used" })],
      { w: 12, h: 8 },
    )
    .row("Disks")
    .panel(
      barGaugePanel("Disk space used", { unit: units.PercentUnit, min: 0, max: 1, thresholds: thresholds("green", [0.8, "orange"], [0.9, "red"]) }),
      [prom(`1 - node_filesystem_avail_bytes{${FILESYSTEMS}} / node_filesystem_size_bytes{${FILESYSTEMS}}`, { legend: "{{mountpoint}}", instant: true })],
      { w: 8, h: 8 },
    )
    .panel(
      timeseriesPanel("Free space: now and predicted in 24h", {
        unit: units.BytesIEC,
        description: "The prediction extrapolates the last 6 hours; below zero means the disk fills up within a day (HostDiskFillingUp).",
        thresholdLines: thresholds("transparent", [0, "red"]),
      }),
      [
        prom(`node_filesystem_avail_bytes{${FILESYSTEMS}}`, { legend: "{{mountpoint}} now" }),
        prom(`predict_linear(node_filesystem_avail_bytes{${FILESYSTEMS}}[6h], 24 * 3600)`, { legend: "{{mountpoint}} in 24h" }),
      ],
      { w: 16, h: 8 },
    )
    .panel(
      timeseriesPanel("Disk throughput", { unit: units.BytesPerSecondIEC, min: 0 }),
      [
        prom(`sum by (device) (rate(node_disk_read_bytes_total{${NODE}}[$__rate_interval]))`, { legend: "{{device}} read" }),
        prom(`sum by (device) (rate(node_disk_written_bytes_total{${NODE}}[$__rate_interval]))`, { legend: "{{device}} written" }),
      ],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Disk busy", { unit: units.PercentUnit, min: 0, description: "Share of time each device had IO in flight." }),
      [prom(`sum by (device) (rate(node_disk_io_time_seconds_total{${NODE}}[$__rate_interval]))`, { legend: "{{device}}" })],
      { w: 12, h: 8 },
    )
    .row("Network")
    .panel(
      timeseriesPanel("Network traffic", { unit: units.BytesPerSecondIEC, min: 0 }),
      [
        prom(`sum by (device) (rate(node_network_receive_bytes_total{${INTERFACES}}[$__rate_interval]))`, { legend: "{{device}} in" }),
        prom(`sum by (device) (rate(node_network_transmit_bytes_total{${INTERFACES}}[$__rate_interval]))`, { legend: "{{device}} out" }),
      ],
      { w: 12, h: 8 },
    )
    .panel(
      timeseriesPanel("Network errors and drops", { unit: units.PacketsPerSecond, min: 0 }),
      [
        prom(`sum by (device) (rate(node_network_receive_errs_total{${INTERFACES}}[$__rate_interval]) + rate(node_network_transmit_errs_total{${INTERFACES}}[$__rate_interval]))`, {
          legend: "{{device}} errors",
        }),
        prom(`sum by (device) (rate(node_network_receive_drop_total{${INTERFACES}}[$__rate_interval]) + rate(node_network_transmit_drop_total{${INTERFACES}}[$__rate_interval]))`, {
          legend: "{{device}} drops",
        }),
      ],
      { w: 12, h: 8 },
    )
    .build();
}
