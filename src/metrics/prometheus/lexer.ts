/**
 * The pieces of one sample line of the Prometheus text formats: the metric name, the label
 * pairs between braces (with `\\`, `\"` and `\n` escapes), the value (Go's float syntax,
 * `NaN` and `Inf` in any case), the timestamp and an OpenMetrics exemplar, which is skipped.
 */

/** One parsed sample line. */
export interface SampleLine {
  /** The sample's metric name, e.g. `http_requests_total` or `latency_bucket`. */
  name: string;
  /** Label names and values, alternating, in the order written. */
  labels: string[];
  /** The text between the braces as written ("" when none): a cheap series key. */
  labelText: string;
  /** The sample's value. */
  value: number;
  /** The timestamp as written (ms for 0.0.4, seconds for OpenMetrics); "" when none. */
  timestamp: string;
}

/** A line the lexer refuses, with why. */
export class LineError extends SyntaxError {}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

const SPACE = 32, TAB = 9, QUOTE = 34, BACKSLASH = 92, COMMA = 44, EQ = 61;
const OPEN = 123, CLOSE = 125, HASH = 35;

/** Parses a Prometheus float: Go's syntax, `NaN`, `Inf`, `+Inf`, `-Inf` in any case. */
export function parseValue(s: string): number {
  const n = Number(s);
  // Number() also takes 0x/0b/0o integers, which Go's ParseFloat does not (0x floats aside).
  if (
    n === n && s !== "" && (s.length < 2 || (s.charCodeAt(1) | 32) < 98 || !/^[+-]?0[box]/i.test(s))
  ) {
    return n;
  }
  switch (s.toLowerCase()) {
    case "nan":
      return NaN;
    case "inf":
    case "+inf":
    case "infinity":
    case "+infinity":
      return Infinity;
    case "-inf":
    case "-infinity":
      return -Infinity;
  }
  throw new LineError(`expected a number, got ${JSON.stringify(s)}`);
}

/**
 * Splits sample line `line`. `maxLabels` bounds the label pairs a line may carry (a huge set is
 * refused rather than held).
 */
export function lexSample(line: string, maxLabels: number): SampleLine {
  const n = line.length;
  let i = 0;
  while (i < n && isNameChar(line.charCodeAt(i))) i++;
  if (i === 0 || !isNameStart(line.charCodeAt(0))) {
    throw new LineError("expected a metric name at the start of the line");
  }
  const name = line.slice(0, i);
  const labels: string[] = [];
  while (i < n && (line.charCodeAt(i) === SPACE || line.charCodeAt(i) === TAB)) i++;
  let labelText = "";
  if (line.charCodeAt(i) === OPEN) {
    const open = i;
    i = lexLabels(line, i + 1, labels, maxLabels);
    labelText = line.slice(open + 1, i - 1);
  }
  const fields: string[] = [];
  while (i < n) {
    let c = line.charCodeAt(i);
    if (c === SPACE || c === TAB || c === 13) {
      i++;
      continue;
    }
    if (c === HASH) break; // an OpenMetrics exemplar follows
    const start = i;
    while (i < n && (c = line.charCodeAt(i)) !== SPACE && c !== TAB && c !== 13) i++;
    if (fields.length === 2) throw new LineError(`unexpected text after the timestamp`);
    fields.push(line.slice(start, i));
  }
  if (fields.length === 0) throw new LineError(`expected a value after "${name}"`);
  const timestamp = fields[1] ?? "";
  if (timestamp !== "" && !/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(timestamp)) {
    throw new LineError(`expected a timestamp, got ${JSON.stringify(timestamp)}`);
  }
  return { name, labels, labelText, value: parseValue(fields[0]!), timestamp };
}

/** Reads `name="value",...}` from `i`; returns the index after the closing brace. */
function lexLabels(line: string, i: number, out: string[], maxLabels: number): number {
  const n = line.length;
  for (;;) {
    while (i < n && (line.charCodeAt(i) === SPACE || line.charCodeAt(i) === TAB)) i++;
    if (line.charCodeAt(i) === CLOSE) return i + 1;
    const start = i;
    while (i < n && isNameChar(line.charCodeAt(i))) i++;
    if (i === start) throw new LineError(`expected a label name at column ${i + 1}`);
    const key = line.slice(start, i);
    while (i < n && (line.charCodeAt(i) === SPACE || line.charCodeAt(i) === TAB)) i++;
    if (line.charCodeAt(i) !== EQ) throw new LineError(`expected "=" after label "${key}"`);
    i++;
    while (i < n && (line.charCodeAt(i) === SPACE || line.charCodeAt(i) === TAB)) i++;
    if (line.charCodeAt(i) !== QUOTE) throw new LineError(`expected '"' for label "${key}"`);
    i++;
    let value = "";
    let from = i;
    for (;;) {
      if (i >= n) throw new LineError(`unterminated value of label "${key}"`);
      const c = line.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        value += line.slice(from, i);
        const e = line[i + 1];
        value += e === "n" ? "\n" : e === undefined ? "" : e;
        i += 2;
        from = i;
        continue;
      }
      i++;
    }
    value += line.slice(from, i);
    i++;
    if (out.length >= maxLabels * 2) {
      throw new LineError(`more than ${maxLabels} labels on one sample`);
    }
    out.push(key, value);
    while (i < n && (line.charCodeAt(i) === SPACE || line.charCodeAt(i) === TAB)) i++;
    const c = line.charCodeAt(i);
    if (c === COMMA) i++;
    else if (c !== CLOSE) throw new LineError(`expected "," or "}" after label "${key}"`);
  }
}

/** A `_created` value (seconds) in ns, exact to the digits it was written with. */
export function createdNanos(seconds: number): bigint {
  return Number.isFinite(seconds) ? decimalNanos(String(seconds), 9) : 0n;
}

/** `text` (a decimal in seconds or ms) times 10^`digits`, exact when it has no exponent. */
export function decimalNanos(text: string, digits: number): bigint {
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text);
  if (m === null) return BigInt(Math.round(Number(text) * 10 ** digits));
  const frac = (m[3] ?? "").slice(0, digits).padEnd(digits, "0");
  const v = BigInt(m[2]!) * 10n ** BigInt(digits) + BigInt(frac === "" ? "0" : frac);
  return m[1] === "-" ? -v : v;
}
