/**
 * The steps a `time_format` compiles to, and the readers for names and offsets the
 * steps use. One step per directive or literal, so parsing is a single pass.
 */
import { MONTHS, RFC2822_ZONES, WEEKDAYS } from "./time_names.ts";

/** The kinds of step. */
export const K = {
  Lit: 0,
  Space: 1,
  Num: 2,
  Month: 3,
  Weekday: 4,
  AmPm: 5,
  Frac: 6,
  Offset: 7,
  ZoneName: 8,
  Epoch: 9,
  UtcZ: 10,
} as const;

/** A kind of step. */
export type StepKind = typeof K[keyof typeof K];

/** Field slots a parse fills. */
export const YEAR = 0, MONTH = 1, DAY = 2, HOUR = 3, MIN = 4, SEC = 5, YDAY = 6, REL = 7;
/** Field slots a parse fills: the century, and a slot for fields read and ignored. */
export const CENT = 8, SKIP = 9;

/** One step of a compiled format. */
export interface Step {
  k: StepKind;
  /** Lit: the char code; Num: the field slot. */
  v: number;
  min: number;
  max: number;
  /** Num: the most digits read (those of `max`). */
  digits: number;
  /** Num: skip one leading space (`%e`). */
  pad: boolean;
}

const EXPANSIONS: Record<string, string> = {
  D: "%m/%d/%y",
  F: "%Y-%m-%d",
  T: "%H:%M:%S",
  R: "%H:%M",
  r: "%I:%M:%S %p",
  c: "%a %b %e %H:%M:%S %Y",
  x: "%m/%d/%y",
  X: "%H:%M:%S",
  h: "%b",
};

const NUMBERS: Record<string, [slot: number, min: number, max: number]> = {
  Y: [YEAR, 0, 9999],
  m: [MONTH, 1, 12],
  d: [DAY, 1, 31],
  e: [DAY, 1, 31],
  H: [HOUR, 0, 23],
  k: [HOUR, 0, 23],
  I: [HOUR, 1, 12],
  l: [HOUR, 1, 12],
  M: [MIN, 0, 59],
  S: [SEC, 0, 60],
  j: [YDAY, 1, 366],
  y: [REL, 0, 99],
  C: [CENT, 0, 99],
  U: [SKIP, 0, 53],
  W: [SKIP, 0, 53],
  V: [SKIP, 0, 53],
  u: [SKIP, 1, 7],
  w: [SKIP, 0, 6],
  g: [SKIP, 0, 99],
};

/** True for the characters C's isspace accepts. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** True for 0-9. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function step(k: StepKind, v = 0, min = 0, max = 0, pad = false): Step {
  return { k, v, min, max, digits: String(max).length, pad };
}

/** Appends the steps of `fmt` to `out`; `whole` is the format named in errors. */
export function compileSteps(fmt: string, out: Step[], whole: string): void {
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt.charCodeAt(i);
    if (isSpace(c)) {
      if (out.at(-1)?.k !== K.Space) out.push(step(K.Space));
      continue;
    }
    if (c !== 37 /* % */) {
      const prev = out.at(-1)?.k;
      const utc = c === 90 /* Z */ && (prev === K.Frac || prev === K.Num && out.at(-1)?.v === SEC);
      out.push(utc ? step(K.UtcZ) : step(K.Lit, c));
      continue;
    }
    let d = fmt[++i];
    if (d === "E" || d === "O") d = fmt[++i]; // locale modifiers: same as the plain form
    if (d === undefined) {
      throw new SyntaxError(`Cannot compile time_format ${JSON.stringify(whole)}: it ends in "%"`);
    }
    const num = NUMBERS[d];
    const expansion = EXPANSIONS[d];
    if (num) out.push(step(K.Num, num[0], num[1], num[2], d === "e"));
    else if (expansion) compileSteps(expansion, out, whole);
    else if (d === "%") out.push(step(K.Lit, 37));
    else if (d === "n" || d === "t") out.push(step(K.Space));
    else if (d === "b" || d === "B") out.push(step(K.Month));
    else if (d === "a" || d === "A") out.push(step(K.Weekday));
    else if (d === "p") out.push(step(K.AmPm));
    else if (d === "L") out.push(step(K.Frac));
    else if (d === "z") out.push(step(K.Offset));
    else if (d === "Z") out.push(step(K.ZoneName));
    else if (d === "s") out.push(step(K.Epoch));
    else {
      throw new SyntaxError(
        `Cannot compile time_format ${JSON.stringify(whole)}: unknown directive "%${d}"`,
      );
    }
  }
}

/** The first three letters of each name as one lowercase code, for a quick compare. */
function codes(names: readonly string[]): Int32Array {
  return Int32Array.from(
    names,
    (n) => (n.charCodeAt(0) << 16) | (n.charCodeAt(1) << 8) | n.charCodeAt(2),
  );
}

const MONTH_CODES = codes(MONTHS);
const WEEKDAY_CODES = codes(WEEKDAYS);

/**
 * A month (`months` true) or weekday name at `pos`, full or 3-letter, in any case:
 * `index * 16 + length read`, or -1 when none matches.
 */
export function readName(text: string, pos: number, months: boolean): number {
  const key = ((text.charCodeAt(pos) | 0x20) << 16) | ((text.charCodeAt(pos + 1) | 0x20) << 8) |
    (text.charCodeAt(pos + 2) | 0x20);
  const table = months ? MONTH_CODES : WEEKDAY_CODES;
  for (let m = 0; m < table.length; m++) {
    if (table[m] !== key) continue;
    const name = months ? MONTHS[m]! : WEEKDAYS[m]!;
    let n = 3;
    while (n < name.length && (text.charCodeAt(pos + n) | 0x20) === name.charCodeAt(n)) n++;
    return m * 16 + (n === name.length ? n : 3);
  }
  return -1;
}

/** The offset the last successful `readOffset` found (saves a tuple per parse). */
export let readOffsetValue = 0;

function twoDigits(text: string, i: number): number {
  const a = text.charCodeAt(i), b = text.charCodeAt(i + 1);
  return isDigit(a) && isDigit(b) ? (a - 48) * 10 + b - 48 : -1;
}

/** `%z`: Z, GMT, UT(C), +hh, +hhmm, +hh:mm, or a North American RFC 2822 zone; -1 if none. */
export function readOffset(text: string, start: number): number {
  let i = start;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const c = text[i];
  readOffsetValue = 0;
  if (c === "Z") return i + 1;
  if (c === "+" || c === "-") {
    const hours = twoDigits(text, i + 1);
    if (hours < 0) return -1;
    let j = i + 3;
    let minutes = 0;
    const colon = text[j] === ":";
    if (isDigit(text.charCodeAt(colon ? j + 1 : j))) {
      minutes = twoDigits(text, colon ? j + 1 : j);
      if (minutes < 0 || minutes > 59) return -1;
      j += colon ? 3 : 2;
    }
    const off = hours * 3600 + minutes * 60;
    readOffsetValue = c === "-" ? -off : off;
    return j;
  }
  for (const [name, off] of RFC2822_ZONES) {
    if (text.startsWith(name, i)) {
      readOffsetValue = off;
      return i + name.length;
    }
  }
  return -1;
}
