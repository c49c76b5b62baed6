import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { compileTimeFormat } from "./time_format.ts";

interface TimeCase {
  parser: string;
  time_format: string;
  time_string: string;
  expected_epoch: number;
  expected_frac_seconds: number;
  time_offset_seconds: number;
}

const vectors = JSON.parse(
  await Deno.readTextFile(new URL("../../testdata/parsers/parser-vectors.json", import.meta.url)),
);

function offsetText(seconds: number): string {
  const abs = Math.abs(seconds);
  const hh = String(Math.floor(abs / 3600)).padStart(2, "0");
  const mm = String(Math.floor(abs % 3600 / 60)).padStart(2, "0");
  return `${seconds < 0 ? "-" : "+"}${hh}${mm}`;
}

/** Mid-2017, so year-less samples resolve to 2017 as the Fluent Bit test expects. */
const IN_2017 = () => Date.UTC(2017, 5, 1);

Deno.test("compileTimeFormat() matches all 26 Fluent Bit time_lookup vectors", () => {
  const cases = vectors.time_lookup.cases as TimeCase[];
  assertEquals(cases.length, 26);
  for (const c of cases) {
    const offset = c.time_offset_seconds ? offsetText(c.time_offset_seconds) : undefined;
    const t = compileTimeFormat(c.time_format, { offset, now: IN_2017 }).parse(c.time_string);
    const label = `${c.parser} ${JSON.stringify(c.time_string)}`;
    assert(t !== null, `${label} did not parse`);
    assertEquals(t.sec, c.expected_epoch, label);
    assertEquals(t.nsec, Math.round(c.expected_frac_seconds * 1e9), label);
  }
});

Deno.test("compileTimeFormat() keeps the first nine digits of a long %L fraction", () => {
  const v = vectors.long_fraction;
  const t = compileTimeFormat(v.time_format).parse(v.time_string);
  assertEquals([t?.sec, t?.nsec], [v.expected_epoch, 123456789]);
});

Deno.test("compileTimeFormat() reads times in an IANA time_zone, DST included", () => {
  for (const group of vectors.time_zone_iana.slice(0, 3)) {
    const now = group.now_epoch ? () => group.now_epoch * 1000 : undefined;
    const f = compileTimeFormat(group.time_format, { zone: group.time_zone, now });
    for (const [text, epoch] of group.cases as [string, number][]) {
      assertEquals(f.parse(text)?.sec, epoch, `${group.time_zone} ${text}`);
    }
  }
});

Deno.test("compileTimeFormat() rejects conflicting or unknown zones", () => {
  const fmt = "%m/%d/%Y %H:%M:%S";
  assertThrows(
    () => compileTimeFormat(fmt, { zone: "America/New_York", systemTimezone: true }),
    SyntaxError,
    "time_system_timezone",
  );
  assertThrows(
    () => compileTimeFormat(fmt, { zone: "America/New_York", offset: "+0000" }),
    SyntaxError,
    "time_offset",
  );
  assertThrows(
    () => compileTimeFormat(fmt, { zone: "America/Not_A_City" }),
    SyntaxError,
    "America/Not_A_City",
  );
});

Deno.test("compileTimeFormat() validates time_offset like Fluent Bit's tzone_offset test", () => {
  const parse = (offset: string) =>
    compileTimeFormat("%Y-%m-%d %H:%M:%S", { offset }).parse("2020-01-01 00:00:00")?.sec;
  const base = Date.UTC(2020, 0, 1) / 1000;
  // The test table writes -21000 for -0600 (a typo: six hours are 21600 seconds).
  for (const [text, secs] of [["+0000", 0], ["+00:00", 0], ["+00:59", 3540], ["-0600", -21600]]) {
    assertEquals(parse(text as string), base - (secs as number), String(text));
  }
  assertEquals(parse("-06:00"), base + 21600);
  assertEquals(parse("Z"), base);
  assertEquals(parse("-07"), base + 7 * 3600);
  for (const bad of vectors.tz_offset.invalid as string[]) {
    assertThrows(() => parse(bad), SyntaxError, JSON.stringify(bad));
  }
});

Deno.test("compileTimeFormat() takes %z as +hhmm, +hh:mm, +hh, Z and RFC 2822 names", () => {
  const f = compileTimeFormat("%Y-%m-%dT%H:%M:%S%z");
  const base = Date.UTC(2024, 1, 29, 12, 0, 0) / 1000;
  assertEquals(f.parse("2024-02-29T12:00:00+0200")?.sec, base - 7200);
  assertEquals(f.parse("2024-02-29T12:00:00+02:00")?.sec, base - 7200);
  assertEquals(f.parse("2024-02-29T12:00:00-07")?.sec, base + 7 * 3600);
  assertEquals(f.parse("2024-02-29T12:00:00Z")?.sec, base);
  assertEquals(f.parse("2024-02-29T12:00:00 PDT")?.sec, base + 7 * 3600);
  assertEquals(f.parse("2024-02-29T12:00:00+2"), null);
});

Deno.test("compileTimeFormat() handles %Z names, %p, %j, %y, %e and %s", () => {
  assertEquals(
    compileTimeFormat("%d %b %Y %T %Z").parse("17 Jul 2017 22:17:03 CEST")?.sec,
    1500322623,
  );
  assertEquals(
    compileTimeFormat("%m/%d/%y %I:%M:%S %p").parse("07/17/17 08:17:03 PM")?.sec,
    1500322623,
  );
  const twelve = compileTimeFormat("%Y-%m-%d %I %p");
  assertEquals(twelve.parse("2017-07-17 12 AM")?.sec, 1500249600);
  assertEquals(twelve.parse("2017-07-17 12 pm")?.sec, 1500249600 + 43200);
  assertEquals(compileTimeFormat("%Y %j %H:%M:%S").parse("2017 198 20:17:03")?.sec, 1500322623);
  assertEquals(compileTimeFormat("%b %e %T %Y").parse("Jul  7 20:17:03 2017")?.sec, 1499458623);
  const epoch = compileTimeFormat("%s.%L").parse("1500322623.5");
  assertEquals([epoch?.sec, epoch?.nsec], [1500322623, 500_000_000]);
  assertEquals(compileTimeFormat("%A, %B %d, %Y").parse("Monday, July 17, 2017")?.sec, 1500249600);
  assertEquals(compileTimeFormat("%F %R%n%%").parse("2017-07-17 20:17 %")?.sec, 1500322620);
  assertEquals(compileTimeFormat("%D%t%T").parse("07/17/17\t20:17:03")?.sec, 1500322623);
});

Deno.test("compileTimeFormat() ignores trailing text but fails on a short one when strict", () => {
  const docker = compileTimeFormat("%Y-%m-%dT%H:%M:%S.%L");
  const t = docker.parse("2018-03-09T01:01:44.851160855Z");
  assertEquals([t?.sec, t?.nsec], [1520557304, 851160855]);
  assertEquals(docker.parse("2018-03-09T01:01:44"), null);
  assertEquals(docker.parse("not a time"), null);
  const lax = compileTimeFormat("%Y-%m-%dT%H:%M:%S.%L", { strict: false });
  assertEquals(lax.parse("2018-03-09T01:01:44")?.sec, 1520557304);
  assertEquals(lax.parse("garbage"), null);
});

Deno.test("compileTimeFormat() fills a missing year from the zone's current date", () => {
  const now = () => Date.UTC(2026, 0, 1, 4, 30); // still 2025-12-31 in New York
  const ny = compileTimeFormat("%b %d %H:%M:%S", { zone: "America/New_York", now });
  assertEquals(ny.parse("Dec 31 23:59:00")?.sec, 1767243540);
  const utc = compileTimeFormat("%b %d %H:%M:%S", { now });
  assertEquals(utc.parse("Jan 01 00:00:00")?.sec, Date.UTC(2026, 0, 1) / 1000);
  const timeOnly = compileTimeFormat("%H:%M:%S", { now });
  assertEquals(timeOnly.parse("00:01:00")?.sec, Date.UTC(2026, 0, 1, 0, 1) / 1000);
});

Deno.test("compileTimeFormat() uses the system zone with time_system_timezone", async () => {
  // TZ is read when the process starts, so the check runs in a child process.
  const code = `
    import { compileTimeFormat } from ${
    JSON.stringify(new URL("./time_format.ts", import.meta.url).href)
  };
    const now = () => new Date(2025, 3, 15, 0, 30).getTime();
    const t = compileTimeFormat("%H:%M:%S", { systemTimezone: true, now }).parse("00:01:00");
    console.log(t.sec === new Date(2025, 3, 15, 0, 1).getTime() / 1000, t.sec);`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    env: { TZ: "Europe/Stockholm" },
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  assertEquals(text, `true ${Date.UTC(2025, 3, 14, 22, 1) / 1000}`);
});

Deno.test("compileTimeFormat() rejects unknown directives when compiling", () => {
  assertThrows(() => compileTimeFormat("%Y-%Q"), SyntaxError, '"%Q"');
  assertThrows(() => compileTimeFormat("%Y %"), SyntaxError, 'ends in "%"');
});
