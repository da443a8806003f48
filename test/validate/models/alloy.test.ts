import { beforeAll, describe, expect, it } from "vitest";
import { renderAlloyConfig } from "../../../scripts/stack/render/alloy.ts";
import { BUNDLE_PATHS } from "../../../scripts/stack/bundle/bundle.ts";
import { checkAlloyConfig } from "../../../scripts/stack/validate/models/alloy.ts";
import { formatFinding } from "../../../scripts/stack/validate/models/findings.ts";
import { collectorConfigForEveryGolden, goldenFiles, rejectsEach, type GoldenFile } from "./model-cases.ts";

let golden: GoldenFile[];
let rendered: GoldenFile[];
beforeAll(async () => {
  golden = await goldenFiles((path) => path === BUNDLE_PATHS.alloy);
  rendered = await collectorConfigForEveryGolden(renderAlloyConfig);
});

/** Replaces the first occurrence, failing loudly when the template no longer has it. */
const swap = (from: string | RegExp, to: string) => (text: string) => text.replace(from, to);

describe("alloy model", () => {
  it("accepts every golden bundle's config.alloy, and the one each golden config would get with Alloy", () => {
    expect(golden.length).toBeGreaterThan(0);
    for (const { config, text } of [...golden, ...rendered]) expect(checkAlloyConfig(text).map(formatFinding), config).toEqual([]);
  });

  const alloy = () => golden.find((file) => file.config === "alloy")!.text;

  rejectsEach(checkAlloyConfig, alloy, [
    { name: "a misspelled component", breakIt: swap(/^loki\.write "/m, 'loki.writer "'), field: "loki.writer", message: "unknown component" },
    {
      name: "a reference to an undeclared component",
      breakIt: swap(/forward_to = \[loki\.write\.(\w+)\.receiver\]/, "forward_to = [loki.write.nowhere.receiver]"),
      field: "forward_to",
      message: "not declared",
    },
    {
      name: "a missing required forward_to",
      breakIt: swap(/^ *forward_to = \[loki\.write\.\w+\.receiver\]\n/m, ""),
      field: 'loki.process "containers".forward_to',
      message: "missing required attribute",
    },
    { name: "an unterminated string", breakIt: swap(/refresh_interval = "5s"/, 'refresh_interval = "5s'), field: "line", message: "unterminated string" },
    { name: "an unknown stage block", breakIt: swap("stage.json {", "stage.jsonn {"), field: "stage.jsonn", message: "unknown block" },
    {
      name: "a reference to an export the component does not have",
      breakIt: swap("targets = discovery.docker.containers.targets", "targets = discovery.docker.containers.output"),
      field: "targets",
      message: 'no export "output"',
    },
    {
      name: "targets where receivers are expected",
      breakIt: swap(/forward_to = \[loki\.process\.(\w+)\.receiver\]/, "forward_to = [discovery.relabel.containers.output]"),
      field: "forward_to",
      message: "takes LogsReceiver",
    },
    { name: "a relabel regex with lookahead", breakIt: swap('regex         = "/(.*)"', 'regex         = "/(?=.*)"'), field: "rule.regex", message: /lookahead|lookaround/ },
    { name: "an unknown argument", breakIt: swap(/^discovery\.relabel "containers" \{\n/m, 'discovery.relabel "containers" {\n  target = []\n'), field: "target", message: "unrecognized attribute" },
    { name: "a label declared twice", breakIt: (text) => `${text}\nloki.write "loki" {\n}\n`, field: 'loki.write "loki"', message: "declared twice" },
    { name: "a duration Alloy cannot parse", breakIt: swap('refresh_interval = "5s"', 'refresh_interval = "5 sec"'), field: "refresh_interval", message: "not a duration" },
    {
      name: "a match selector that is not a stream selector",
      breakIt: swap(/selector = "\{service=\\"(\w+)\\"\}"/, 'selector = "service=$1"'),
      field: "stage.match.selector",
      message: "not a stream selector",
    },
    { name: "an unknown relabel action", breakIt: swap('target_label  = "compose_project"', 'target_label  = "compose_project"\n    action        = "rename"'), field: "rule.action", message: "unknown relabel action" },
  ]);
});
