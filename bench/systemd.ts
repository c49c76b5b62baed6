/**
 * `deno task bench:systemd`: the systemd input reading a journal directory of 200,000
 * entries (10 fields, ~330 bytes each; BENCH_SYSTEMD_ENTRIES to change) written by
 * systemd-journal-remote, to the null output, side by side with Fluent Bit's in_systemd
 * (libsystemd), and the read layer alone both ways: journalctl's export stream parsed in
 * JS (what the input does) and libsystemd through FFI in-process (the alternative).
 */
import { fluentBitPath } from "../src/testing/fluent_bit.ts";
import { until } from "../src/testing/until.ts";
import {
  fluentBitNull,
  freePort,
  loadAverage,
  measure,
  report,
  sluiceCommand,
  startMeasured,
  writeNullConfig,
} from "./measure.ts";
import { outputRecords } from "./stream_input.ts";

const N = Number(Deno.env.get("BENCH_SYSTEMD_ENTRIES") ?? 200_000);
const dir = await Deno.makeTempDir({ prefix: "sluice_bench_systemd_" });
const journalDir = `${dir}/journal`;
await Deno.mkdir(journalDir);

/** Writes N entries through systemd-journal-remote, in pieces (it rotates files as they fill). */
async function writeJournal(): Promise<void> {
  const child = new Deno.Command("/lib/systemd/systemd-journal-remote", {
    args: ["-o", `${journalDir}/bench.journal`, "-"],
    stdin: "piped",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  const enc = new TextEncoder();
  for (let from = 0; from < N; from += 10_000) {
    let text = "";
    for (let i = from; i < Math.min(N, from + 10_000); i++) {
      text +=
        `__REALTIME_TIMESTAMP=${1_700_000_000_000_000 + i}\n__MONOTONIC_TIMESTAMP=${
          1000 + i
        }\n_BOOT_ID=0123456789abcdef0123456789abcdef\nMESSAGE=request ${i} handled in ${
          i % 997
        } ms path=/api/v1/items/${(i * 7919) % 100_000}\nPRIORITY=6\nSYSLOG_IDENTIFIER=app\n` +
        `_PID=${1000 + (i % 7)}\n_UID=1000\n_COMM=app\n_SYSTEMD_UNIT=app${i % 3}.service\n` +
        "_HOSTNAME=host1\n_TRANSPORT=journal\n\n";
    }
    await writer.write(enc.encode(text));
  }
  await writer.close();
  if (!(await child.status).success) throw new Error("systemd-journal-remote failed");
}

/** Runs a collector until its outputs counted N records; wall seconds from its start. */
async function pipeline(name: string, cmd: string[], httpPort: number): Promise<void> {
  const started = performance.now();
  const proc = startMeasured(cmd);
  let delivered = 0;
  await until(
    async () => {
      delivered = Math.max(delivered, await outputRecords(httpPort));
      return delivered >= N;
    },
    `${name}: ${N} records at the output`,
    { timeout: 300_000, interval: 20 },
  ).catch(() => {});
  const seconds = (performance.now() - started) / 1000;
  const m = await proc.stop();
  console.log(
    report(name, delivered, { ...m, wall: seconds }) + `  load ${loadAverage()}` +
      (delivered === N ? "" : `  !! ${delivered} of ${N} delivered`),
  );
}

await writeJournal();
console.log(
  `systemd benchmarks: ${
    N.toLocaleString("en-US")
  } journal entries in ${journalDir} (2 cores shared with other work: see load)`,
);

const root = new URL("..", import.meta.url).pathname;
const raw = await measure([
  "sh",
  "-c",
  `journalctl -o export --no-pager -D ${journalDir} >/dev/null`,
]);
console.log(report("journalctl -o export alone", N, raw) + `  load ${loadAverage()}`);
for (const mode of ["journalctl", "libsystemd"]) {
  const m = await measure([
    Deno.execPath(),
    "run",
    "--allow-all",
    `${root}bench/systemd_read.ts`,
    mode,
    journalDir,
  ]);
  console.log(report(`read + bodies via ${mode}`, N, m) + `  load ${loadAverage()}`);
  if (m.code !== 0) console.log(`!! ${mode}: ${m.stderr.slice(-300)}`);
}

const { cmd: sluice } = await sluiceCommand();
const port = freePort();
await writeNullConfig(`${dir}/sluice.yaml`, {
  httpPort: port,
  input: `    - name: systemd\n      path: ${journalDir}\n      tag: sd.*\n`,
});
await pipeline("sluice systemd -> null", [...sluice, "-c", `${dir}/sluice.yaml`], port);

const fb = await fluentBitPath();
if (fb) {
  const fbPort = freePort();
  await pipeline(
    "fluent-bit systemd -> null",
    fluentBitNull(fb.replace(/\/run$/, "/fluent-bit"), fbPort, [
      "-i",
      "systemd",
      "-p",
      `path=${journalDir}`,
      "-t",
      "sd.*",
    ]),
    fbPort,
  );
} else console.log("fluent-bit: skipped (peer not found)");
await Deno.remove(dir, { recursive: true });
