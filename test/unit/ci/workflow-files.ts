/** The example CI files, parsed, and the shell they run, per CI system. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { REPO_ROOT } from "../../../scripts/stack/render/templates.ts";

export const GITHUB_WORKFLOW = join(REPO_ROOT, "examples", "ci", "github-actions.yml");
export const GITLAB_CI = join(REPO_ROOT, "examples", "ci", "gitlab-ci.yml");

/** Parses strictly: a YAML error or warning (e.g. a duplicate key) is an error here. */
export function parseYaml(text: string): unknown {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) throw new Error(problems.map((problem) => problem.message).join("\n"));
  return document.toJS();
}

export interface GithubStep {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
}

export interface GithubWorkflow {
  on: Record<string, unknown>;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  defaults?: { run?: { shell?: string } };
  jobs: Record<string, { "runs-on": string; "timeout-minutes"?: number; steps: GithubStep[] }>;
}

export interface GitlabJob {
  script: string[];
  before_script?: string[];
  after_script?: string[];
  variables?: Record<string, string>;
  timeout?: string;
  resource_group?: string;
  artifacts?: { when?: string; paths?: string[]; reports?: { junit?: string | string[] } };
}

export function readGithubWorkflow(text = readFileSync(GITHUB_WORKFLOW, "utf8")): GithubWorkflow {
  return parseYaml(text) as GithubWorkflow;
}

/** GitLab's top-level keywords; every other key not starting with "." is a job. */
const GITLAB_KEYWORDS = new Set(["default", "include", "stages", "variables", "workflow", "image", "services", "cache", "before_script", "after_script"]);

export function readGitlabJobs(text = readFileSync(GITLAB_CI, "utf8")): Record<string, GitlabJob> {
  const document = parseYaml(text) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(document).filter(([key]) => !GITLAB_KEYWORDS.has(key) && !key.startsWith(".")),
  ) as Record<string, GitlabJob>;
}

/** Every shell snippet a file runs, in order. */
export function githubShell(workflow: GithubWorkflow): string[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps.flatMap((step) => (step.run ? [step.run] : [])));
}

export function gitlabShell(jobs: Record<string, GitlabJob>): string[] {
  return Object.values(jobs).flatMap((job) => [...(job.before_script ?? []), ...job.script, ...(job.after_script ?? [])]);
}
