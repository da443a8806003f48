/**
 * Typed errors. A StackError is the user's to fix (bad config, missing tool, Docker down) and is
 * printed as message + hint; anything else reaching the top-level handler is an internal bug.
 */
export type ErrorCode =
  | "CONFIG_NOT_FOUND"
  | "CONFIG_IMPORT_FAILED"
  | "CONFIG_INVALID"
  | "USAGE"
  | "TOOL_UNAVAILABLE"
  | "VALIDATION_FAILED"
  | "WRITE_FAILED"
  | "PREFLIGHT_FAILED"
  | "PULL_FAILED"
  | "UNHEALTHY"
  | "COMPOSE_FAILED"
  | "CHECKS_FAILED";

export class StackError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, hint?: string) {
    super(message);
    this.name = "StackError";
    this.code = code;
    this.hint = hint;
  }
}

/** One problem in the user's config, located by a path such as `services[2].health.ready`. */
export interface ConfigIssue {
  path: string;
  message: string;
  hint?: string;
}

export class ConfigError extends StackError {
  readonly issues: readonly ConfigIssue[];
  readonly configPath: string;

  constructor(configPath: string, issues: readonly ConfigIssue[]) {
    super(
      "CONFIG_INVALID",
      `${configPath}: ${issues.length} problem${issues.length === 1 ? "" : "s"} found`,
      "Fix the fields listed above in your stack config and run the command again.",
    );
    this.issues = issues;
    this.configPath = configPath;
  }
}

export function formatIssue(issue: ConfigIssue): string {
  const location = issue.path === "" ? "(config root)" : issue.path;
  return issue.hint ? `${location}: ${issue.message}\n    hint: ${issue.hint}` : `${location}: ${issue.message}`;
}
