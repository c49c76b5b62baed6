/**
 * `deno task bench:tail`: the tail input on the 1,000,000-line benchmark file (half Apache
 * access lines, half JSON) with `read_from_head` and `exit_on_eof`: `tail -> null`,
 * `tail -> file`, and `tail + json parser -> null` on the JSON half (500,000 lines).
 * Fluent Bit's figures for comparison: tail->null 0.3 CPU-s per 1M lines, tail+json
 * 0.9 CPU-s, tail->file 1.0 CPU-s.
 */
import { benchInput, countLines } from "./lines.ts";
import { measure, report, sluiceCommand } from "./measure.ts";

const { lines: LINES, out, input } = await benchInput();

// The JSON half: every odd line of the benchmark file.
const jsonInput = `${out}/lines_json.log`;
const text = await Deno.readTextFile(input);
const jsonLines = text.split("\n").filter((_, i) => i % 2 === 1);
await Deno.writeTextFile(jsonInput, jsonLines.join("\n") + "\n");
const JSON_LINES = jsonLines.length;

const { entry, cmd: sluice } = await sluiceCommand();

function tail(path: string, ...extra: string[]): string[] {
  return [
    ...sluice,
    "-i",
    "tail",
    "-p",
    `path=${path}`,
    "-p",
    "read_from_head=on",
    "-p",
    "exit_on_eof=on",
    ...extra,
  ];
}

console.log(
  `tail benchmarks, ${
    LINES.toLocaleString("en-US")
  } lines of ~210 bytes (${entry}); Fluent Bit: tail->null 0.3, tail+json 0.9, tail->file 1.0 CPU-s per 1M lines`,
);

const toNull = await measure(tail(input, "-o", "null", "-f", "0.1"));
console.log(report("tail -> null", LINES, toNull));

const outFile = `${out}/tail_file.out`;
await Deno.remove(outFile).catch(() => {});
const toFile = await measure(
  tail(input, "-o", "file", "-p", `path=${out}`, "-p", "file=tail_file.out", "-p", "format=plain"),
);
const written = await countLines(outFile);
console.log(report("tail -> file", LINES, toFile) + `  [${written} records written]`);
if (written !== LINES) console.log(`!! tail -> file wrote ${written} records, expected ${LINES}`);

const json = await measure(tail(jsonInput, "-p", "parser=json", "-o", "null", "-f", "0.1"));
console.log(
  report("tail + json parser -> null", JSON_LINES, json) +
    `  [${(json.cpu * 1_000_000 / JSON_LINES).toFixed(2)} CPU-s per 1M lines]`,
);
for (
  const [name, m] of [["tail -> null", toNull], ["tail -> file", toFile], ["json", json]] as const
) {
  if (m.code !== 0) console.log(`!! ${name} exited with ${m.code}: ${m.stderr.slice(-500)}`);
}
