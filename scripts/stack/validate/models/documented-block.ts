/**
 * A config block of a component that unmarshals strictly (Loki, Promtail): every key its reference
 * documents is allowed, the ones obs-stack renders are typed, and any other key is rejected — as the
 * component itself would at startup.
 */
import { z } from "zod";

export function documentedBlock<Shape extends z.ZodRawShape>(component: string, documentedKeys: readonly string[] | undefined, typed: Shape) {
  if (!documentedKeys) throw new Error(`${component}: the model names a block its key list does not have`);
  const undocumented = Object.keys(typed).filter((key) => !documentedKeys.includes(key));
  if (undocumented.length > 0) throw new Error(`${component} model types keys its reference does not document: ${undocumented.join(", ")}`);
  const untyped = Object.fromEntries(documentedKeys.filter((key) => !(key in typed)).map((key) => [key, z.unknown().optional()]));
  // The untyped keys stay out of the static type: nothing reads them, they only have to be allowed.
  return z.strictObject({ ...untyped, ...typed }) as unknown as z.ZodObject<Shape, z.core.$strict>;
}
