import { describe, expect, it } from "vitest";
import { imageReferenceProblem } from "../../../scripts/stack/syntax/image-reference.ts";

describe("image references as Docker parses them", () => {
  it.for([
    "prom/prometheus:v3.16.0",
    "registry.internal/prom/prometheus:v3.16.0",
    "registry.internal:5000/prom/prometheus",
    "localhost:5000/a/b/c:latest",
    "Registry.Example.com/team/app:1",
    // A first component with capitals is a registry host to Docker, however unlikely.
    "Prom/prometheus:v3",
    "[::1]:5000/app:1",
    "obs-testbed/opentelemetry-collector-contrib:0.161.0",
    "quay.io/prometheuscommunity/postgres-exporter:v0.17.1",
    "a__b/c.d/e--f:_tag",
    `grafana/grafana@sha256:${"a".repeat(64)}`,
    `grafana/grafana:13.0.1@sha256:${"0f".repeat(32)}`,
  ])("accepts %s", (reference) => {
    expect(imageReferenceProblem(reference)).toBeUndefined();
  });

  it.for([
    ["prom/Prometheus:v3", "the repository path must be lowercase (only the registry host may have capitals)"],
    ["grafana/loki:", 'the tag after ":" must be 1 to 128 letters, digits, "_", "." or "-", not starting with "." or "-"'],
    ["grafana/loki:.v1", 'the tag after ":" must be 1 to 128 letters, digits, "_", "." or "-", not starting with "." or "-"'],
    [`grafana/loki:${"v".repeat(129)}`, 'the tag after ":" must be 1 to 128 letters, digits, "_", "." or "-", not starting with "." or "-"'],
    ["grafana/loki@sha256:abc", "the digest after @ must be sha256: followed by 64 lowercase hex digits"],
    [`grafana/loki@sha512:${"a".repeat(64)}`, "the digest after @ must be sha256: followed by 64 lowercase hex digits"],
    ["grafana//loki", expect.stringContaining("lowercase path components")],
    ["-grafana/loki", expect.stringContaining("lowercase path components")],
    ["grafana/loki latest", expect.stringContaining("lowercase path components")],
    ["", expect.stringContaining("lowercase path components")],
    [`${"a".repeat(256)}:1`, "the repository name is longer than 255 characters"],
  ])("refuses %s", ([reference, problem]) => {
    expect(imageReferenceProblem(reference as string)).toEqual(problem);
  });
});
