/**
 * The test file of `sluice test`: cases of records fed into a config's pipeline and the
 * records expected after its input processors and filters (per tag), and optionally at
 * each output after its own processors. A record is written as its body (a map), or as
 * `[time, body]` with the time in seconds when the time matters.
 *
 * ```yaml
 * tests:
 *   - name: debug lines are dropped
 *     input: tail.0        # whose processors run (default: the first input)
 *     tag: app.web         # default: that input's tag
 *     records:
 *       - {level: debug, msg: starting}
 *       - {level: error, msg: failed}
 *     expect:              # after the filters, per tag
 *       app.web:
 *         - {level: error, msg: failed}
 *     outputs:             # optional: at an output, after its processors
 *       es.0:
 *         - {level: error, msg: failed}
 * ```
 */
import { parse } from "yaml";
import { EventTime } from "../../event/event_time.ts";
import type { LogRecord, RecordMap } from "../../event/log_record.ts";

/** An expected record: its body, and its time when the test gives one. */
export interface ExpectedRecord {
  time?: number;
  body: RecordMap;
}

/** One case of a test file. */
export interface ConfigTestCase {
  name: string;
  /** The input (name or alias) the records come from; the first input when unset. */
  input?: string;
  /** The records' tag; the input's tag when unset. */
  tag?: string;
  records: LogRecord[];
  /** Tag to the records leaving the filters with it, in order. */
  expect: Map<string, ExpectedRecord[]>;
  /** Output name to the records it receives after its processors, in order. */
  outputs: Map<string, ExpectedRecord[]>;
}

/** A test file that cannot be used; the message names the case and the key. */
export class TestFileError extends Error {
  /** An error about `file` saying `message`. */
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "TestFileError";
  }
}

const CASE_KEYS = ["name", "input", "tag", "records", "expect", "outputs"];

function isMap(v: unknown): v is RecordMap {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Parses a test file's text.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * const [c] = parseTestFile(
 *   "tests:\n  - name: kept\n    records: [{a: 1}, [10.5, {b: 2}]]\n    expect: {app: [{a: 1}]}\n",
 *   "t.yaml",
 * );
 * assertEquals(c?.records.map((r) => [r.time.sec, r.body]), [[0, { a: 1 }], [10, { b: 2 }]]);
 * assertEquals(c?.expect.get("app"), [{ body: { a: 1 } }]);
 * ```
 */
export function parseTestFile(text: string, file: string): ConfigTestCase[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new TestFileError(file, `invalid YAML: ${e instanceof Error ? e.message : e}`);
  }
  const tests = isMap(doc) ? doc.tests : undefined;
  if (!Array.isArray(tests) || tests.length === 0) {
    throw new TestFileError(file, 'expected a "tests" list with at least one case');
  }
  return tests.map((t, i) => parseCase(t, { file, where: `test ${i + 1}` }));
}

function parseCase(raw: unknown, at: { file: string; where: string }): ConfigTestCase {
  const fail = (message: string): never => {
    throw new TestFileError(at.file, `${at.where}: ${message}`);
  };
  if (!isMap(raw)) return fail("expected a map with name, records and expect");
  for (const k of Object.keys(raw)) {
    if (!CASE_KEYS.includes(k)) fail(`unknown key "${k}" (expected ${CASE_KEYS.join(", ")})`);
  }
  const name = typeof raw.name === "string" && raw.name !== "" ? raw.name : at.where;
  const named = { ...at, where: `test "${name}"` };
  const text = (key: string): string | undefined => {
    const v = raw[key];
    if (v === undefined || v === null) return undefined;
    return typeof v === "string" ? v : fail(`"${key}" must be a string`);
  };
  if (!Array.isArray(raw.records)) fail('"records" must be a list of records');
  const records = (raw.records as unknown[]).map((r, i) => {
    const e = parseRecord(r, () => fail(`records[${i}]: expected a map or [time, map]`));
    return { time: EventTime.fromSeconds(e.time ?? 0), metadata: {}, body: e.body };
  });
  if (raw.expect === undefined && raw.outputs === undefined) {
    fail('set "expect" (records per tag after the filters) or "outputs"');
  }
  return {
    name,
    input: text("input"),
    tag: text("tag"),
    records,
    expect: expectations(raw.expect, "expect", named),
    outputs: expectations(raw.outputs, "outputs", named),
  };
}

function expectations(
  raw: unknown,
  key: string,
  at: { file: string; where: string },
): Map<string, ExpectedRecord[]> {
  const out = new Map<string, ExpectedRecord[]>();
  if (raw === undefined || raw === null) return out;
  const fail = (message: string): never => {
    throw new TestFileError(at.file, `${at.where}: ${message}`);
  };
  if (!isMap(raw)) fail(`"${key}" must map a ${key === "expect" ? "tag" : "output"} to records`);
  for (const [name, list] of Object.entries(raw as RecordMap)) {
    if (list === null) {
      out.set(name, []);
      continue;
    }
    if (!Array.isArray(list)) fail(`${key}.${name} must be a list of records`);
    out.set(
      name,
      (list as unknown[]).map((r, i) =>
        parseRecord(r, () => fail(`${key}.${name}[${i}]: expected a map or [time, map]`))
      ),
    );
  }
  return out;
}

function parseRecord(raw: unknown, fail: () => never): ExpectedRecord {
  if (isMap(raw)) return { body: raw };
  if (Array.isArray(raw) && raw.length === 2 && typeof raw[0] === "number" && isMap(raw[1])) {
    return { time: raw[0], body: raw[1] };
  }
  return fail();
}
