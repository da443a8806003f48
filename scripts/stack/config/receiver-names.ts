/** Receivers the generated alertmanager.yml always has: user receivers may not take these names. */

/** Receives what nobody should hear about; Alertmanager needs a root receiver even when the user has none. */
export const BLACKHOLE_RECEIVER = "blackhole";
/** `npm run smoke` posts an alert with this label and waits for it at its own webhook sink. */
export const SMOKE_RECEIVER = "obs-stack-smoke";
