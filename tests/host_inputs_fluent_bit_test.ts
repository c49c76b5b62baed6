/**
 * Fluent Bit's host inputs (cpu, mem, disk, netif, proc) run from sluice's CLI in quick mode
 * (`-i NAME -p K=V -o stdout -p format=json_lines`) give records with Fluent Bit 4.2.8's keys
 * and JSON types: checked against the shapes recorded from the peer
 * (testdata/host_inputs), and against the peer itself when it is present.
 */
import { assertEquals } from "../src/testing/assert.ts";
import { fluentBitPath, NO_PEER } from "../src/testing/fluent_bit.ts";
import { caseArgs, HOST_CASES, type HostCase, shape } from "./_host_inputs.ts";
import { ROOT } from "./_helpers.ts";

const GOLDEN = JSON.parse(
  await Deno.readTextFile(`${ROOT}testdata/host_inputs/fluent_bit_4.2.8_shapes.json`),
) as Record<string, Record<string, string>>;

/** Where sluice deliberately differs (testdata/host_inputs/README.md). */
const DEVIATIONS: Record<string, Record<string, string>> = { mem_pid: { proc_hr: "string" } };

/** The first record line `cmd ARGS` prints within `ms`; the process is killed once it came. */
async function firstRecord(cmd: string, args: string[], ms: number): Promise<string | undefined> {
  const child = new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), ms);
  let text = "";
  let line: string | undefined;
  try {
    for await (const piece of child.stdout.pipeThrough(new TextDecoderStream())) {
      text += piece;
      line = text.split("\n").slice(0, -1).find((l) => l.startsWith("{"));
      if (line) break;
    }
  } finally {
    clearTimeout(timer);
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await child.status;
  }
  return line;
}

const quick = (c: HostCase) => [
  ...caseArgs(c),
  "-p",
  "interval_sec=1",
  "-o",
  "stdout",
  "-p",
  "format=json_lines",
];

for (const c of HOST_CASES) {
  Deno.test(`host input ${c.name}: Fluent Bit's keys and types`, async () => {
    const want = { ...GOLDEN[c.name], ...DEVIATIONS[c.name] };
    const line = await firstRecord(
      Deno.execPath(),
      ["run", "--allow-all", `${ROOT}main.ts`, ...quick(c)],
      4500,
    );
    assertEquals(
      line === undefined ? undefined : shape(line),
      want,
      `sluice ${caseArgs(c).join(" ")}`,
    );
  });
}

Deno.test("host inputs: the recorded shapes are still the peer's", async () => {
  const fb = await fluentBitPath();
  if (!fb) {
    console.log(NO_PEER);
    return;
  }
  for (const c of HOST_CASES) {
    const line = await firstRecord(fb, ["-q", ...quick(c), "-f", "1"], 3500);
    assertEquals(line === undefined ? undefined : shape(line), GOLDEN[c.name], c.name);
  }
});
