/**
 * The secure defaults, asserted on what every golden config renders (every component appears in
 * at least one): least privilege in every container, loopback unless the config asks, no secret
 * in any generated file, the Docker socket only where a component needs it and read-only.
 */
import { describe, expect, it } from "vitest";
import { BUNDLE_PATHS, renderBundle } from "../../../scripts/stack/bundle/bundle.ts";
import { COMPONENT_NAMES, definitionOf, SERVICE_NAMES, type ComponentName } from "../../../scripts/stack/catalog/components.ts";
import { composeServices } from "../../helpers/compose-file.ts";
import { FAKE_SECRET_ENV, GOLDEN_CONFIG_NAMES, loadGoldenModel } from "../../helpers/golden-configs.ts";

const bundles = await Promise.all(
  GOLDEN_CONFIG_NAMES.map(async (name) => {
    const model = await loadGoldenModel(name);
    return { name, model, files: renderBundle(model) };
  }),
);
const componentOf = new Map(COMPONENT_NAMES.map((name) => [SERVICE_NAMES[name], name]));
/** Components whose work is reading the host's containers through the Docker API. */
const NEEDS_DOCKER_API: readonly ComponentName[] = ["promtail", "alloy", "cadvisor"];

describe.each(bundles)("secure defaults of the $name bundle", ({ model, files }) => {
  const services = Object.entries(composeServices(files.get(BUNDLE_PATHS.compose)!));

  it("every container: all capabilities dropped (cAdvisor keeps SYSLOG), no-new-privileges, a memory limit, never privileged or root by override", () => {
    for (const [name, service] of services) {
      expect(service.cap_drop, name).toEqual(["ALL"]);
      expect(service.cap_add ?? [], name).toEqual(name === "cadvisor" ? ["SYSLOG"] : []);
      expect(service.security_opt, name).toContain("no-new-privileges:true");
      expect(service.deploy?.resources?.limits?.memory, name).toMatch(/^\d+[kmg]$/);
      expect(service.privileged, name).toBeUndefined();
      // The image's user, except the proxy, whose image's user is root, and the volume exporter, which
      // must read nothing of the volumes it measures: a user of their own, never 0.
      if (name === "proxy" || name === "volume-exporter") expect(service.user, name).toMatch(/^[1-9]\d*:[1-9]\d*$/);
      else expect(service.user, name).toBeUndefined();
    }
  });

  it("a read-only root filesystem wherever the component is proven to write only to its volumes and gets no secret", () => {
    for (const [name, service] of services) {
      const component = componentOf.get(name);
      // Compose copies an environment secret into the container, which a read-only root refuses.
      const expected = (component ? definitionOf(component).container.readOnlyRootFilesystem : true) && (service.secrets ?? []).length === 0;
      expect(service.read_only ?? false, name).toBe(expected);
    }
  });

  it("ports on 127.0.0.1 unless the config sets a bind address for that component", () => {
    for (const [name, service] of services) {
      const component = componentOf.get(name);
      const configured = component ? (model.config.components[component].bindAddress ?? model.config.bindAddress) : model.config.bindAddress;
      for (const port of service.ports ?? []) {
        const address = port.slice(0, port.indexOf(":"));
        // The Fluent Forward port stays on loopback whatever the bind address (the daemon is its only client).
        expect(address, `${name} ${port}`).toBe(port.endsWith(":24224") ? "127.0.0.1" : configured);
      }
    }
  });

  it("the Docker socket only where the component reads the Docker API, and read-only; host paths read-only", () => {
    for (const [name, service] of services) {
      for (const volume of service.volumes ?? []) {
        const [source] = volume.split(":");
        const fromHost = source!.startsWith("/");
        if (fromHost) expect(volume, name).toMatch(/:ro$/);
        if (/^\/var\/run(\/docker\.sock)?$/.test(source!)) expect(NEEDS_DOCKER_API, `${name} mounts ${volume}`).toContain(componentOf.get(name));
      }
    }
  });

  it("no secret value in any generated file; Grafana reads its password from a secret file, and lets nobody in anonymously", () => {
    const secrets = Object.values(FAKE_SECRET_ENV);
    for (const [path, contents] of files) for (const secret of secrets) expect(contents.includes(secret), `${secret} in ${path}`).toBe(false);
    const grafana = services.find(([name]) => name === SERVICE_NAMES.grafana)?.[1];
    if (!grafana) return;
    expect(grafana.environment?.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\$__file\{\/run\/secrets\//);
    expect(grafana.environment).toMatchObject({ GF_AUTH_ANONYMOUS_ENABLED: "false", GF_USERS_ALLOW_SIGN_UP: "false" });
  });
});
