/**
 * Fluent Bit's tail test vectors (testdata/tail, from tests/runtime/data/tail), run through
 * the real CLI in one process: one tail input per vector with the options in_tail.c gives
 * it, and a file output writing one file per tag. Each vector's records must start with
 * the records of its .out file, compared as JSON (several .out files list fewer lines than
 * their input: in_tail.c counts the records matching an expected line and ignores the
 * others); vectors without one must equal the input decoded.
 */
import { errorMessage } from "../src/error_message.ts";
import { assertEquals } from "../src/testing/assert.ts";
import { ROOT, runSluice } from "./_helpers.ts";

const DATA = `${ROOT}testdata/tail`;

interface Vector {
  name: string;
  options: Record<string, string>;
  /** Expected record bodies when there is no .out file. */
  expected?: () => Promise<Record<string, unknown>[]>;
}

const DOCKER = { docker_mode: "on", parser: "docker" };
const FIRSTLINE = { ...DOCKER, docker_mode_parser: "docker_multiline" };

/** A vector without .out: the records are the input decoded with `label`, line by line. */
function byDecoding(name: string, label: string, options: Record<string, string>): Vector {
  return {
    name,
    options,
    expected: async () => {
      const text = new TextDecoder(label).decode(await Deno.readFile(`${DATA}/log/${name}.log`));
      const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
      if (lines[lines.length - 1] === "") lines.pop();
      return lines.map((log) => ({ log }));
    },
  };
}

const GENERIC: [string, string][] = [
  ["big5", "BIG5"],
  ["gb18030", "GB18030"],
  ["gbk", "GBK"],
  ["sjis", "ShiftJIS"],
  ["win1250", "WIN1250"],
  ["win1251", "WIN1251"],
  ["win1252", "WIN1252"],
  ["win1253", "WIN1253"],
  ["win1254", "WIN1254"],
  ["win1255", "WIN1255"],
  ["win1256", "WIN1256"],
];

const VECTORS: Vector[] = [
  { name: "3943", options: {} },
  { name: "dockermode", options: DOCKER },
  { name: "dockermode_splitted_line", options: DOCKER },
  { name: "dockermode_multiple_lines", options: FIRSTLINE },
  { name: "dockermode_splitted_multiple_lines", options: FIRSTLINE },
  { name: "dockermode_firstline_detection", options: FIRSTLINE },
  ...GENERIC.map(([n, enc]) => ({
    name: `generic_enc_${n}`,
    options: { "generic.encoding": enc },
  })),
  // No .out in the corpus: compared with the input decoded by the runtime's decoder.
  byDecoding("generic_enc_uhc", "euc-kr", { "generic.encoding": "UHC" }),
  byDecoding("generic_enc_win866", "ibm866", { "generic.encoding": "Win866" }),
  byDecoding("generic_enc_win874", "windows-874", { "generic.encoding": "Win874" }),
  { name: "multiline_001", options: { "multiline.parser": "multiline-json-regex" } },
  ...["unicode_c", "unicode_j", "unicode_subdivision_flags"].map((n) =>
    byDecoding(n, "utf-16le", { "unicode.encoding": "auto" })
  ),
  ...["unicode_be_c", "unicode_be_j", "unicode_subdivision_flags_be"].map((n) =>
    byDecoding(n, "utf-16be", { "unicode.encoding": "auto" })
  ),
  { name: "skip_long_lines", options: { skip_long_lines: "on" } },
];

async function expectedOf(v: Vector): Promise<Record<string, unknown>[]> {
  if (v.expected) return await v.expected();
  const text = await Deno.readTextFile(`${DATA}/out/${v.name}.out`);
  return text.split(/\r?\n/).filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
}

Deno.test("tail: Fluent Bit's tail vectors give their expected records", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_tail_vectors_" });
  // skip_long_lines writes its input at run time, as in_tail.c does.
  const long = `before_long_line\n${"0123456789abcdef".repeat(2 * 1024)}\nafter_long_line\n`;
  await Deno.writeTextFile(`${dir}/skip_long_lines.log`, long);
  const inputs = VECTORS.map((v) => {
    const path = v.name === "skip_long_lines"
      ? `${dir}/${v.name}.log`
      : `${DATA}/log/${v.name}.log`;
    const extra = Object.entries(v.options).map(([k, val]) => `      ${k}: "${val}"\n`).join("");
    return `    - name: tail\n      tag: ${v.name}\n      path: ${path}\n      read_from_head: on\n` +
      `      exit_on_eof: on\n${extra}`;
  }).join("");
  await Deno.writeTextFile(
    `${dir}/sluice.yaml`,
    `service:\n  flush: 0.1\n  log_level: warn\n  parsers_file:\n` +
      `    - ${DATA}/parsers.conf\n    - ${DATA}/parsers_multiline_json.conf\n` +
      `pipeline:\n  inputs:\n${inputs}  outputs:\n    - name: file\n      match: "*"\n` +
      `      path: ${dir}/out\n      mkdir: on\n      format: plain\n`,
  );
  const r = await runSluice(["-c", `${dir}/sluice.yaml`], { timeoutMs: 20_000 });
  assertEquals(r.code, 0, r.stderr);
  const failures: string[] = [];
  for (const v of VECTORS) {
    let got: unknown[] = [];
    try {
      got = (await Deno.readTextFile(`${dir}/out/${v.name}`)).trim().split("\n").map((l) =>
        JSON.parse(l)
      );
    } catch (e) {
      failures.push(`${v.name}: no output (${errorMessage(e)})`);
      continue;
    }
    const want = await expectedOf(v);
    const compared = v.expected ? got : got.slice(0, want.length);
    if (JSON.stringify(compared) !== JSON.stringify(want)) {
      failures.push(`${v.name}:\n  got  ${JSON.stringify(got)}\n  want ${JSON.stringify(want)}`);
    }
  }
  assertEquals(failures, [], failures.join("\n"));
  await Deno.remove(dir, { recursive: true });
});
