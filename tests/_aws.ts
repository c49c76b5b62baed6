/**
 * Helpers for the AWS output tests: the test keys, an environment that points the credential
 * chain at them (and never at the EC2 metadata address), and sluice runs of a YAML config.
 */
import { assertEquals } from "../src/testing/assert.ts";
import { missingIds } from "./_delivery.ts";
import { runSluice, tempDirWith, waitFor } from "./_helpers.ts";
import { type CliRun, startSluice } from "./_outputs.ts";

/** The access key id the local receivers know. */
export const TEST_KEY_ID = "AKIDSLUICETEST";
/** Its secret. */
export const TEST_SECRET = "sluice/test+secret/key";

/** Variables of the credential chain a test's machine might have, blanked. */
const BLANK = {
  AWS_PROFILE: "",
  AWS_SESSION_TOKEN: "",
  AWS_WEB_IDENTITY_TOKEN_FILE: "",
  AWS_ROLE_ARN: "",
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "",
  AWS_CONTAINER_CREDENTIALS_FULL_URI: "",
};

/** An environment with `key`/`secret` as the process's AWS keys; IMDS off. */
export function awsEnv(
  extra: Record<string, string> = {},
  key = TEST_KEY_ID,
  secret = TEST_SECRET,
): Record<string, string> {
  return {
    ...BLANK,
    AWS_ACCESS_KEY_ID: key,
    AWS_SECRET_ACCESS_KEY: secret,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
    ...extra,
  };
}

/** An environment with no keys at all: only the given variables and IMDS off. */
export function noKeysEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...BLANK,
    AWS_ACCESS_KEY_ID: "",
    AWS_SECRET_ACCESS_KEY: "",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
    ...extra,
  };
}

/** Numbered JSON lines `{"n":i,"msg":...}` for i in [from, to). */
export function jsonLines(from: number, to: number): string {
  let s = "";
  for (let i = from; i < to; i++) s += `{"n":${i},"msg":"line ${i}"}\n`;
  return s;
}

/** Numbered JSON lines `{"n":i,"pad":"xx…"}` of about `width` bytes for i in [from, to). */
export function paddedJsonLines(from: number, to: number, width = 100): string {
  let s = "";
  for (let i = from; i < to; i++) {
    const head = `{"n":${i},"pad":"`;
    s += head + "x".repeat(Math.max(0, width - head.length - 3)) + '"}\n';
  }
  return s;
}

/** How many times each `n` of the JSON lines `lines` ({@link jsonLines}) arrived. */
export function nCounts(lines: Iterable<string>): Map<number, number> {
  const out = new Map<number, number>();
  for (const l of lines) {
    const n = JSON.parse(l).n as number;
    out.set(n, (out.get(n) ?? 0) + 1);
  }
  return out;
}

/** Writes `yaml` (with `${DIR}` replaced) into a temp dir with `files` and runs sluice on it. */
export async function runConfig(
  yaml: string,
  options: { files?: Record<string, string>; env?: Record<string, string>; timeoutMs?: number } =
    {},
) {
  const dir = await tempDirWith(options.files ?? {});
  const path = `${dir}/sluice.yaml`;
  await Deno.writeTextFile(path, yaml.replaceAll("${DIR}", dir));
  const result = await runSluice(["-c", path], {
    env: options.env ?? awsEnv(),
    timeoutMs: options.timeoutMs ?? 60_000,
  });
  return { ...result, dir };
}

/** Starts sluice on `yaml` in `dir` (with `${DIR}` replaced) with `env`; the caller stops it. */
export function startConfig(
  dir: string,
  yaml: string,
  env: Record<string, string>,
): Promise<CliRun> {
  return startSluice(dir, yaml, "sluice.yaml", env);
}

/** The service section the AWS tests use: fast flush and retries. */
export function serviceSection(extra: readonly string[] = []): string {
  return [
    "service:",
    "  flush: 0.2",
    "  grace: 10",
    "  log_level: info",
    "  scheduler.base: 0.2",
    "  scheduler.cap: 1",
    ...extra.map((l) => `  ${l}`),
    "",
  ].join("\n");
}

/**
 * A config of the AWS tests' service section, a tail of `path` (tag `app`) from its head
 * that exits at its end, and the output `name` matching everything with `options`.
 */
export function tailOnceConfig(
  path: string,
  name: string,
  options: Record<string, string | number>,
): string {
  return `${serviceSection()}
pipeline:
  inputs:
    - name: tail
      path: ${path}
      tag: app
      read_from_head: true
      exit_on_eof: true
  outputs:
    - name: ${name}
      match: "*"
${Object.entries(options).map(([k, v]) => `      ${k}: ${v}\n`).join("")}`;
}

/**
 * Runs `fn` with `vars` in this process's environment (for a child that inherits it, or an
 * in-process service), then puts the previous values back.
 */
export async function withEnv<T>(
  vars: Record<string, string>,
  fn: () => Promise<T> | T,
): Promise<T> {
  const before = new Map(Object.keys(vars).map((k) => [k, Deno.env.get(k)]));
  for (const [k, v] of Object.entries(vars)) Deno.env.set(k, v);
  try {
    return await fn();
  } finally {
    for (const [k, v] of before) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
  }
}

/** What {@link deliverThroughOutage} needs to know of a run. */
export interface OutageRun {
  /** The local service sluice sends to; it goes down for 30 s and comes back. */
  rx: { down(): Promise<void>; up(): unknown; stop(): Promise<void> };
  /** sluice, started on `log` holding `n` 0..`before`-1. */
  sluice: CliRun;
  /** The tailed file. */
  log: string;
  /** The lines `n` from..to-1, as written to `log`. */
  lines(from: number, to: number): string;
  /** Every line the service received so far, each holding its `n`. */
  received(): string[];
  /** Records in `log` before the outage and in all (the rest are appended during it). */
  before: number;
  total: number;
  /** How long to wait for the rest once the service is back. */
  backTimeoutMs: number;
}

/**
 * The outage test both AWS outputs pass: once the first `before` records arrived, the
 * service goes down, `before..total-1` are appended, 30 s pass, it comes back; then every
 * record must arrive exactly once and sluice exit 0 on SIGTERM.
 */
export async function deliverThroughOutage(o: OutageRun): Promise<void> {
  try {
    await waitFor(() => o.received().length >= o.before, {
      timeoutMs: 30_000,
      what: `first ${o.before}`,
    });
    await o.rx.down();
    await Deno.writeTextFile(o.log, o.lines(o.before, o.total), { append: true });
    await new Promise((r) => setTimeout(r, 30_000)); // the outage itself, not a wait for a result
    o.rx.up();
    await waitFor(() => o.received().length >= o.total, {
      timeoutMs: o.backTimeoutMs,
      what: `all ${o.total}`,
    });
  } finally {
    assertEquals(await o.sluice.stop(), 0, o.sluice.log());
    await o.rx.stop();
  }
  const counts = nCounts(o.received());
  assertEquals(missingIds(counts, o.total), []);
  assertEquals([...counts.values()].filter((v) => v > 1).length, 0, "no record delivered twice");
}
