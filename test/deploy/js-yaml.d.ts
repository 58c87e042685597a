// js-yaml 4 is in node_modules through eslint (@eslint/eslintrc), without its types; this is the
// one function the deployment tests use. With js-yaml and @types/js-yaml as dev dependencies,
// delete this file.
declare module "js-yaml" {
  /** Parses one YAML document (YAML 1.2 core schema, with `<<` merge keys) into plain values. */
  export function load(text: string, options?: { readonly filename?: string }): unknown;
}
