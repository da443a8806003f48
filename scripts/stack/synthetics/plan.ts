/**
 * Which k6 runs `npm run synthetics` makes: the selected services (and profile), where each k6
 * container runs — on the stack's network, or on the host's for services on localhost — and where
 * it remote-writes its results. Pure: every decision here is testable without Docker.
 */
import { COMPONENTS, SERVICE_NAMES } from "../catalog/components.ts";
import { didYouMean } from "../config/did-you-mean.ts";
import type { StackModel } from "../config/model.ts";
import { StackError } from "../errors.ts";
import type { ResolvedStack } from "../resolve/resolve-stack.ts";

export interface SyntheticsRun {
  service: string;
  script: string;
  checkNames: string[];
  profile: string | undefined;
  /** "host" or the Compose project's default network. */
  network: string;
  remoteWriteUrl: string | undefined;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function stackNetwork(model: StackModel): string {
  return `${model.config.project.name}_default`;
}

export function planSynthetics(model: ResolvedStack, selection: { service?: string; profile?: string }): SyntheticsRun[] {
  const candidates = model.k6Scripts;
  if (candidates.length === 0)
    throw new StackError(
      "USAGE",
      "no service has HTTP synthetic checks",
      "declare health endpoints (services[].health) or checks (services[].synthetics.checks) in stack.config.ts",
    );
  let selected = candidates;
  if (selection.service !== undefined) {
    const match = candidates.find((script) => script.service.name === selection.service);
    if (!match) {
      const known = candidates.map((script) => script.service.name);
      const suggestion = didYouMean(selection.service, known);
      throw new StackError(
        "USAGE",
        `no service "${selection.service}" with synthetic checks${suggestion ? ` — did you mean "${suggestion}"?` : ""}`,
        `services with checks: ${known.join(", ")}`,
      );
    }
    selected = [match];
  }
  if (selection.profile !== undefined) {
    const profile = selection.profile;
    const withProfile = selected.filter((script) => profile in script.service.synthetics.profiles);
    if (withProfile.length === 0) {
      const known = [...new Set(selected.flatMap((script) => Object.keys(script.service.synthetics.profiles)))];
      const suggestion = didYouMean(profile, known);
      throw new StackError(
        "USAGE",
        `no load profile "${profile}"${selection.service ? ` in service "${selection.service}"` : ""}${suggestion ? ` — did you mean "${suggestion}"?` : ""}`,
        known.length > 0 ? `profiles: ${known.join(", ")}` : "declare one in services[].synthetics.profiles",
      );
    }
    selected = withProfile;
  }
  return selected.map(({ service, file, checks }) => {
    const onHost = LOOPBACK_HOSTS.has(new URL(service.url).hostname);
    return {
      service: service.name,
      script: file,
      checkNames: checks.map((check) => check.name),
      profile: selection.profile,
      network: onHost ? "host" : stackNetwork(model),
      remoteWriteUrl: model.enabled.prometheus ? remoteWriteUrl(model, onHost) : undefined,
    };
  });
}

function remoteWriteUrl(model: StackModel, fromHost: boolean): string {
  if (!fromHost) return `http://${SERVICE_NAMES.prometheus}:${COMPONENTS.prometheus.port}/api/v1/write`;
  const prometheus = model.config.components.prometheus;
  const address = prometheus.bindAddress ?? model.config.bindAddress;
  const host = address === "0.0.0.0" || address === "::" ? "127.0.0.1" : address.includes(":") ? `[${address}]` : address;
  return `http://${host}:${prometheus.port}/api/v1/write`;
}
