/**
 * Grafana reads GF_SECURITY_ADMIN_PASSWORD only when it creates its database; from then on the
 * password lives in its volume, so a password changed in .env would silently stop working (a
 * frequent complaint with stacks like this one). `up` therefore makes the .env password the
 * admin's: when it no longer logs in, Grafana's own CLI resets it inside the container.
 */
import { StackError } from "../errors.ts";
import { execWithInput } from "./docker.ts";

/** The official image's layout: the CLI needs its home path to find its defaults. */
const RESET_COMMAND = ["grafana", "cli", "--homepath", "/usr/share/grafana", "admin", "reset-admin-password", "--password-from-stdin"];

async function logsIn(url: string, user: string, password: string): Promise<boolean> {
  const response = await fetch(`${url}/api/user`, {
    headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` },
    signal: AbortSignal.timeout(5_000),
  });
  if (response.status === 401) return false;
  if (response.ok) return true;
  throw new StackError("UNHEALTHY", `Grafana answered ${response.status} to a login check`, "see `npm run logs -- grafana`");
}

/** Returns whether the password had to be reset. */
export async function applyGrafanaAdminPassword(grafana: { url: string; containerId: string }, user: string, password: string): Promise<boolean> {
  if (await logsIn(grafana.url, user, password)) return false;
  const reset = await execWithInput(grafana.containerId, RESET_COMMAND, `${password}\n`);
  if (reset.exitCode !== 0)
    throw new StackError("UNHEALTHY", `Grafana's CLI could not set the admin password from .env (exit ${reset.exitCode}): ${reset.output.trim()}`, "see `npm run logs -- grafana`");
  if (!(await logsIn(grafana.url, user, password)))
    throw new StackError(
      "UNHEALTHY",
      `Grafana's admin password was reset, but "${user}" still cannot log in`,
      "components.grafana.adminUser applies only when Grafana creates its database; set it back to the login the volume has, or remove the grafana-data volume",
    );
  return true;
}
