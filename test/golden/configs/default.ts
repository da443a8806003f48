// The golden "default" case is the shipped stack.config.ts itself.
export { default } from "../../../stack.config.ts";
