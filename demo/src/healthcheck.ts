/**
 * The container healthcheck for the demo image, for Compose's `healthcheck.test`. Neither the
 * node:*-alpine image's final stage nor the testbed's stand-in relies on wget or curl, so Node
 * probes itself. The script avoids `$`, which Compose would interpolate.
 */
export const DEMO_HEALTHCHECK_SCRIPT =
  "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/livez',{signal:AbortSignal.timeout(2000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))";

export const DEMO_HEALTHCHECK_TEST: readonly string[] = ["CMD", "node", "-e", DEMO_HEALTHCHECK_SCRIPT];
