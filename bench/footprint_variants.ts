/**
 * The programs and configs `bench/footprint.ts` measures: tail -> http (the edge host) and
 * `config.example.yaml`, each run by sluice from main.ts, by the bundle, and by Fluent Bit.
 * Every config takes its monitoring port from `${FOOTPRINT_PORT}`, so both programs read the
 * same file. `FOOTPRINT_BASELINE=DIR` adds sluice's main.ts from another checkout (before/after).
 */

/** One program on one config. */
export interface Variant {
  /** `tail->http` or `example`. */
  config: string;
  /** `main.ts`, `dist/sluice.js` or `fluent-bit`. */
  program: string;
  /** The command line; its monitoring port comes from `$FOOTPRINT_PORT`. */
  command: readonly string[];
}

/** The Fluent Bit binary: `$FLUENT_BIT`, else the peer beside the repository, else none. */
export function fluentBitBinary(root: string): string | undefined {
  const candidates = [
    Deno.env.get("FLUENT_BIT"),
    `${root}../shared/peers/fluent-bit-4.2.8/fluent-bit`,
  ];
  for (const c of candidates) {
    if (!c) continue;
    try {
      if (Deno.statSync(c).isFile) return c;
    } catch { /* absent */ }
  }
  return undefined;
}

/**
 * Writes the configs into `scratch` (the edge config's http output sends to `sinkPort`), builds
 * the bundle, and lists the variants; Fluent Bit's only when its binary is there.
 */
export async function editionsOf(
  root: string,
  scratch: string,
  sinkPort: number,
): Promise<Variant[]> {
  const log = `${scratch}/edge.log`;
  await Deno.writeTextFile(
    log,
    Array.from({ length: 10 }, (_, i) => `line ${i} of the edge host's log\n`).join(""),
  );
  const edge = `${scratch}/edge.yaml`;
  await Deno.writeTextFile(
    edge,
    `service:
  flush: 1
  log_level: warn
  http_server: on
  http_listen: 127.0.0.1
  http_port: \${FOOTPRINT_PORT}

pipeline:
  inputs:
    - name: tail
      path: ${log}
      read_from_head: true
  outputs:
    - name: http
      match: "*"
      host: 127.0.0.1
      port: ${sinkPort}
      uri: /ingest
      format: json_lines
`,
  );
  const example = `${scratch}/example.yaml`;
  const text = await Deno.readTextFile(`${root}config.example.yaml`);
  await Deno.writeTextFile(
    example,
    text.replace(/http_port: \d+/, "http_port: ${FOOTPRINT_PORT}"),
  );
  const built = await new Deno.Command(Deno.execPath(), {
    args: ["task", "bundle"],
    cwd: root,
    stdout: "null",
    stderr: "inherit",
  }).output();
  if (!built.success) throw new Error("deno task bundle failed");

  const v8 = Deno.env.get("BENCH_V8_FLAGS");
  const deno = [Deno.execPath(), "run", "--allow-all", ...(v8 ? [`--v8-flags=${v8}`] : [])];
  const fb = fluentBitBinary(root);
  if (!fb) console.log("Fluent Bit not found ($FLUENT_BIT or ../shared/peers): sluice alone");
  const variants: Variant[] = [];
  for (const [config, file] of [["tail->http", edge], ["example", example]] as const) {
    variants.push({
      config,
      program: "main.ts",
      command: [...deno, `--config=${root}deno.json`, `${root}main.ts`, "-c", file],
    });
    const base = Deno.env.get("FOOTPRINT_BASELINE");
    if (base) {
      const dir = base.endsWith("/") ? base : `${base}/`;
      variants.push({
        config,
        program: "baseline main.ts",
        command: [...deno, `--config=${dir}deno.json`, `${dir}main.ts`, "-c", file],
      });
    }
    variants.push({
      config,
      program: "dist/sluice.js",
      command: [...deno, "--no-config", `${root}dist/sluice.js`, "-c", file],
    });
    if (fb) {
      variants.push({
        config,
        program: "fluent-bit",
        command: [fb, "-c", file],
      });
    }
  }
  return variants;
}
