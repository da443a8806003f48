/** The parts of a rendered compose.yaml the render tests read, parsed. */
import { parse } from "yaml";

export interface ComposeService {
  user?: string;
  privileged?: boolean;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  cap_drop?: string[];
  cap_add?: string[];
  read_only?: boolean;
  security_opt?: string[];
  secrets?: string[];
  deploy?: { resources?: { limits?: { memory?: string } } };
}

export const composeServices = (text: string): Record<string, ComposeService> => (parse(text) as { services: Record<string, ComposeService> }).services;
