/** Where the e2e stack finds the recording "Loki door" (loki-door.ts): a host port, through Docker's host-gateway. */
export const LOKI_DOOR_PORT = 3199;
export const LOKI_DOOR_URL = `http://host.docker.internal:${LOKI_DOOR_PORT}`;
