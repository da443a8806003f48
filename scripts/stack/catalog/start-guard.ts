/**
 * A start that waits for room instead of crash-looping: Prometheus (its WAL repair) and Jaeger
 * (Badger's mmapped files, SIGBUS) die at start on a full data volume, and Docker's restart policy
 * then restarts them forever. The container's entrypoint becomes a short sh script that, while the
 * volume's free space is below a floor, says so once on stderr and checks again every
 * GUARD_RECHECK_SECONDS; then it execs the image's own binary with the command's arguments
 * unchanged, so the binary is PID 1 and receives `docker stop`'s SIGTERM and `up`'s SIGHUP itself.
 */
import { namedVolumes } from "./component-definition.ts";

/** The floor never exceeds this share of the volume, so that a small volume (a 128 MiB tmpfs) can start at all. */
const GUARD_MAX_SHARE_PERCENT = 5;
const GUARD_RECHECK_SECONDS = 10;
/** What the script runs beside shell builtins: an image without them cannot run the guard. */
export const GUARD_TOOLS = ["sh", "df", "sleep"] as const;
const SHELL = "/bin/sh";
const KIB_PER_MIB = 1024;

export interface StartGuard {
  /** The image's binary: what its own entrypoint runs. */
  binary: string;
  /** The data volume as the component's `volumes` lists it, `name:/path`. */
  volume: string;
  /** Free space the binary needs to start, in MiB, on a volume large enough (see GUARD_MAX_SHARE_PERCENT). */
  floorMiB: number;
}

/**
 * The script, run as `sh -c SCRIPT BINARY ARG...`: "$0" is the binary and "$@" its arguments, so
 * the renderer keeps adding flags to the command as it does for an unguarded component. Every
 * value in it comes from the component's definition, none from the user's config.
 *
 * - `df -P` prints one line per filesystem after its header; the last five fields are size, used,
 *   available, capacity and mount point (the device name may hold spaces, the mount point here
 *   does not). `set -f` keeps the words from being globbed. Where df fails or its size and
 *   available fields are not numbers, the guard lets the start go on: it must never keep a
 *   component from a start it cannot judge.
 * - Waiting in a background `sleep` and `wait`, so a trapped signal ends the wait at once: as PID 1
 *   the shell never receives a signal it does not trap, and `docker stop` would wait out its grace
 *   period. SIGHUP (`up`'s reloads) is left untrapped on purpose: it does not end the wait (the
 *   binary reads its config when it starts), and exec hands the binary its default disposition.
 */
export function startGuardScript(guard: StartGuard): string {
  const [named] = namedVolumes([guard.volume]);
  if (!named) throw new Error(`start guard of ${guard.binary}: "${guard.volume}" is no named volume (name:/path)`);
  const { volume, path } = named;
  const floorKiB = guard.floorMiB * KIB_PER_MIB;
  // The component's own floor, or GUARD_MAX_SHARE_PERCENT of a smaller volume.
  const floor = `floor=$(( $1 * ${GUARD_MAX_SHARE_PERCENT} / 100 )); [ "$floor" -le ${floorKiB} ] || floor=${floorKiB}`;
  return [
    "set -f",
    "sleeper=",
    `trap 'kill $sleeper 2>/dev/null; exit 143' TERM`,
    `trap 'kill $sleeper 2>/dev/null; exit 130' INT`,
    `mib() { echo "$(($1 / ${KIB_PER_MIB})).$(($1 % ${KIB_PER_MIB} * 10 / ${KIB_PER_MIB}))"; }`,
    `room() { stats=$(df -Pk ${path}) || return 0; set -- $stats; [ $# -ge 5 ] || return 0; shift $(($# - 5)); case $1$3 in "" | *[!0-9]*) return 0 ;; esac; free=$3; ${floor}; [ "$free" -ge "$floor" ]; }`,
    "if ! room; then",
    `  echo "$0: not starting yet: volume ${volume} (${path}) has $(mib $free) MiB free, below the $(mib $floor) MiB it needs to start without crashing; free space on the volume or grow it (docs/runbooks/volume-full.md). Checking again every ${GUARD_RECHECK_SECONDS}s." >&2`,
    `  until room; do sleep ${GUARD_RECHECK_SECONDS} & sleeper=$!; wait $sleeper; done`,
    `  echo "$0: volume ${volume} has $(mib $free) MiB free again: starting" >&2`,
    "fi",
    'exec "$0" "$@"',
  ].join("\n");
}

/** The entrypoint of a guarded component: the command that follows it becomes the binary's arguments. */
export function guardedEntrypoint(guard: StartGuard): string[] {
  // `$$` is Compose's escape for a literal `$`.
  return [SHELL, "-c", startGuardScript(guard).replaceAll("$", "$$$$"), guard.binary];
}
