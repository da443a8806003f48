/** `npm run docs`: rewrites the generated sections (config reference, components table) of README.md. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GENERATED_SECTIONS, replaceSection } from "./stack/docs/readme-sections.ts";
import { REPO_ROOT } from "./stack/render/templates.ts";

const readmePath = join(REPO_ROOT, "README.md");
let readme = readFileSync(readmePath, "utf8");
for (const section of GENERATED_SECTIONS) readme = replaceSection(readme, section);
writeFileSync(readmePath, readme);
process.stdout.write("README.md generated sections updated\n");
