/**
 * Go modules this project never fetches, builds or imports, directly or through another module's
 * dependency graph. The stack still deploys the official images of these components; only our build
 * stays clear of them. `scripts/check-licences.ts` enforces the list on the repository's build files
 * (in `npm test`) and on the Go module cache (in `.ci/run`, after every build).
 */
export interface ForbiddenModule {
  /** Module path; its major-version suffixes and nested modules are covered too (`/v3`, `/apps/…`). */
  path: string;
  why: string;
}

export const FORBIDDEN_GO_MODULES: readonly ForbiddenModule[] = [
  { path: "github.com/grafana/loki", why: "AGPL-3.0 (Loki, and Promtail, which lives in the same module)" },
  { path: "github.com/grafana/grafana", why: "AGPL-3.0 (Grafana, including apps/dashboard)" },
  { path: "github.com/grafana/tempo", why: "AGPL-3.0 (Tempo)" },
  { path: "go.k6.io/k6", why: "AGPL-3.0 (k6, v1 and v2)" },
  { path: "github.com/grafana/alloy", why: "its go.mod requires github.com/grafana/loki/v3 (AGPL-3.0)" },
];

/**
 * The forbidden module a text names, if any — as a module path, in a URL (`https://github.com/…`,
 * `codeload.github.com/…`, `….git`), in any letter case. Nested modules of those repositories are
 * covered too, even the permissively licensed ones (Loki's `pkg/push`): the whole tree stays out.
 */
export function forbiddenModuleIn(text: string): ForbiddenModule | undefined {
  return FORBIDDEN_GO_MODULES.find((module) => modulePattern(module.path).test(text));
}

function modulePattern(path: string): RegExp {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // "github.com/grafana/grafana" must not match "github.com/grafana/grafana-foundation-sdk", nor
  // "go.k6.io/k6" match "go.k6.io/k6x".
  return new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`, "im");
}
