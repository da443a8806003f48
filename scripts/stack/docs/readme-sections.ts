/** The README sections that are generated from code, located by their start/end markers. */
import {
  COMPONENTS_END,
  COMPONENTS_START,
  REFERENCE_END,
  REFERENCE_START,
  renderComponentsTable,
  renderConfigReference,
} from "./config-reference.ts";
import { LATENCY_END, LATENCY_START, renderLatencyTable } from "./latency-table.ts";

export interface GeneratedSection {
  start: string;
  end: string;
  render: () => string;
}

export const GENERATED_SECTIONS: readonly GeneratedSection[] = [
  { start: REFERENCE_START, end: REFERENCE_END, render: renderConfigReference },
  { start: COMPONENTS_START, end: COMPONENTS_END, render: renderComponentsTable },
  { start: LATENCY_START, end: LATENCY_END, render: renderLatencyTable },
];

export function currentSection(readme: string, section: GeneratedSection): string | undefined {
  const start = readme.indexOf(section.start);
  const end = readme.indexOf(section.end);
  return start === -1 || end === -1 ? undefined : readme.slice(start, end + section.end.length);
}

export function replaceSection(readme: string, section: GeneratedSection): string {
  const current = currentSection(readme, section);
  if (current === undefined) throw new Error(`README.md lacks the markers ${section.start} … ${section.end}`);
  return readme.replace(current, section.render());
}
