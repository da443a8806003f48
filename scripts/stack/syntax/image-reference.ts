/**
 * Image references as Docker and Compose parse them (the distribution/reference grammar):
 * `[host[:port]/]path[:tag][@sha256:<digest>]`. A reference outside it makes `docker compose`
 * refuse the whole file ("invalid reference format"), so `generate` refuses it first, saying which
 * part is wrong.
 */

const ALPHANUMERIC = "[a-z0-9]+";
const SEPARATOR = "(?:[_.]|__|-+)";
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const NAME = new RegExp(`^(?:${HOST}(?::[0-9]+)?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** distribution/reference's NameTotalLengthMax. */
const MAX_NAME_LENGTH = 255;

/** Why Docker would refuse the reference, or undefined when it parses. */
export function imageReferenceProblem(reference: string): string | undefined {
  const at = reference.indexOf("@");
  const nameAndTag = at < 0 ? reference : reference.slice(0, at);
  if (at >= 0 && !DIGEST.test(reference.slice(at + 1))) return "the digest after @ must be sha256: followed by 64 lowercase hex digits";
  // A ":" after the last "/" starts the tag; one before it belongs to the registry's port.
  const colon = nameAndTag.lastIndexOf(":");
  const hasTag = colon > nameAndTag.lastIndexOf("/");
  const name = hasTag ? nameAndTag.slice(0, colon) : nameAndTag;
  if (hasTag && !TAG.test(nameAndTag.slice(colon + 1)))
    return 'the tag after ":" must be 1 to 128 letters, digits, "_", "." or "-", not starting with "." or "-"';
  if (name.length > MAX_NAME_LENGTH) return `the repository name is longer than ${MAX_NAME_LENGTH} characters`;
  if (NAME.test(name)) return undefined;
  if (NAME.test(name.toLowerCase())) return "the repository path must be lowercase (only the registry host may have capitals)";
  return 'the repository must be lowercase path components ("prom/prometheus"), optionally after a registry host[:port] ("registry.internal:5000/")';
}
