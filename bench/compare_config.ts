/**
 * The YAML pieces the rows of `deno task bench:compare` share, so both sides get the same
 * config: the `service` section (flush 0.1 s, grace 1 s, warnings only), the monitoring
 * server, a tail input from the file's head with `file_cache_advise: off`, the pipeline.
 */

/** The `service` section both sides get: flush 0.1 s, short grace, warnings only. */
export function service(extra: readonly string[] = []): string {
  return ["service:", "  flush: 0.1", "  grace: 1", "  log_level: warn", ...extra]
    .map((l) => l + "\n").join("");
}

/** The monitoring API on 127.0.0.1:`port` (`service` keys). */
export function monitoring(port: number): string[] {
  return ["  http_server: on", "  http_listen: 127.0.0.1", `  http_port: ${port}`];
}

/** A tail input reading `path` from its head, with `extra` keys (indented 6). */
export function tailInput(path: string, extra: readonly string[] = []): string {
  return [
    "    - name: tail",
    `      path: ${path}`,
    "      read_from_head: true",
    "      file_cache_advise: off",
    ...extra.map((k) => `      ${k}`),
  ].map((l) => l + "\n").join("");
}

/** The `pipeline` section: `input` and `output` are list items (indented four). */
export function pipeline(input: string, output: string): string {
  return `pipeline:\n  inputs:\n${input}  outputs:\n${output}`;
}

/** The null output, matching every tag. */
export const NULL_OUTPUT = '    - name: "null"\n      match: "*"\n';
