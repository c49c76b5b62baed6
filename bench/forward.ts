/**
 * `deno task bench:forward`: 1,000,000 log lines (~210 bytes) read by a Fluent Bit 4.2.8
 * `tail` and shipped by its `out_forward` (Forward mode, its default) into `forward -> null`
 * of sluice and, in the same run, of Fluent Bit's own `in_forward`, side by side:
 * records/s (the sender's start until the receiver's null output counted every record, read
 * from /api/v1/metrics), the receiver's CPU seconds and peak RSS, and the ratio. Then the
 * output side: the same lines tailed by sluice (or by Fluent Bit) and sent by its forward
 * output into a Fluent Bit `in_forward -> null`: records/s and the sender's CPU and peak RSS.
 * Needs the peer (FLUENT_BIT or ../shared/peers); prints why and exits without it.
 */
import { fluentBitPath, fluentBitPlugin } from "../src/testing/fluent_bit.ts";
import { benchLine } from "./lines.ts";
import { fluentBitNull, freePort, sluiceCommand, writeNullConfig } from "./measure.ts";
import { outputRecords } from "./stream_input.ts";

const LINES = Number(Deno.env.get("BENCH_LINES") ?? 1_000_000);
const root = new URL("..", import.meta.url).pathname;
const out = `${root}bench/out`;
await Deno.mkdir(out, { recursive: true });

const fb = await fluentBitPath();
if (!fb) {
  console.log(
    "Fluent Bit 4.2.8 not found (FLUENT_BIT or ../shared/peers): the sender is Fluent Bit",
  );
  Deno.exit(0);
}

const input = `${out}/forward_lines.log`;
{
  const parts: string[] = [];
  for (let i = 0; i < LINES; i++) parts.push(benchLine(i));
  await Deno.writeTextFile(input, parts.join("\n") + "\n");
}

/** Peak RSS (VmHWM, MB) and CPU seconds of a live process, from /proc. */
async function usage(pid: number): Promise<{ peakRssMb: number; cpu: number }> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = (await Deno.readTextFile(`/proc/${pid}/stat`)).split(") ")[1]!.split(" ");
  return { peakRssMb: hwm / 1024, cpu: (Number(stat[11]) + Number(stat[12])) / 100 };
}

interface Result {
  name: string;
  rate: number;
  seconds: number;
  cpu: number;
  peakRssMb: number;
  delivered: number;
}

function spawn(cmd: string[]): Deno.ChildProcess {
  return new Deno.Command(cmd[0]!, { args: cmd.slice(1), stdout: "null", stderr: "null" })
    .spawn();
}

/**
 * Starts the receiver, waits for it, starts the sender (Fluent Bit's tail -> out_forward
 * unless `sender` is given), waits for every record; `measured` picks whose usage is read.
 */
async function run(
  name: string,
  receiver: string[],
  port: number,
  httpPort: number,
  sender?: string[],
  measured: "receiver" | "sender" = "receiver",
): Promise<Result> {
  const rx = spawn(receiver);
  const deadline = Date.now() + 20_000;
  while ((await outputRecords(httpPort)) < 0) {
    if (Date.now() > deadline) throw new Error(`${name} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const db = `${out}/forward_tail_${port}.db`;
  const tx = spawn(
    sender ?? [
      fb!,
      "-q",
      "-f",
      "0.2",
      "-i",
      "tail",
      "-p",
      `path=${input}`,
      "-p",
      "read_from_head=on",
      "-p",
      `db=${db}`,
      "-p",
      "buffer_chunk_size=512k",
      "-p",
      "buffer_max_size=1M",
      ...fluentBitPlugin("-o", "forward", { match: "*", host: "127.0.0.1", port }),
    ],
  );
  const started = performance.now();
  let delivered = 0;
  const waitUntil = Date.now() + Number(Deno.env.get("BENCH_WAIT_MS") ?? 300_000);
  while (delivered < LINES && Date.now() < waitUntil) {
    delivered = Math.max(delivered, await outputRecords(httpPort));
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  const used = await usage(measured === "receiver" ? rx.pid : tx.pid);
  for (const p of [tx, rx]) {
    p.kill("SIGTERM");
    await p.status;
  }
  await Deno.remove(db).catch(() => {});
  return { name, rate: delivered / seconds, seconds, ...used, delivered };
}

function line(r: Result): string {
  return `${r.name.padEnd(28)} ${
    Math.round(r.rate).toLocaleString("en-US").padStart(12)
  } records/s  ` +
    `${r.cpu.toFixed(2).padStart(6)} CPU-s  ${r.peakRssMb.toFixed(1).padStart(7)} MB peak RSS  ` +
    `(${r.seconds.toFixed(2)} s)` + (r.delivered >= LINES ? "" : `  !! ${r.delivered} delivered`);
}

console.log(
  `forward input benchmark: ${LINES.toLocaleString("en-US")} lines from Fluent Bit tail -> ` +
    `out_forward, into forward -> null`,
);

const { cmd: sluiceCmd } = await sluiceCommand();

const sluicePort = freePort(), sluiceHttp = freePort();
const config = `${out}/forward_input.yaml`;
await writeNullConfig(config, {
  httpPort: sluiceHttp,
  input: `    - { name: forward, listen: 127.0.0.1, port: ${sluicePort} }\n`,
});
const sluice = await run(
  "sluice forward -> null",
  [...sluiceCmd, "-c", config],
  sluicePort,
  sluiceHttp,
);
console.log(line(sluice));

const fbPort = freePort(), fbHttp = freePort();
const peer = await run(
  "Fluent Bit forward -> null",
  fbReceiver(fbPort, fbHttp),
  fbPort,
  fbHttp,
);
console.log(line(peer));
console.log(
  `ratio sluice / Fluent Bit: ${(sluice.rate / peer.rate).toFixed(2)}x records/s, ` +
    `${(sluice.peakRssMb / peer.peakRssMb).toFixed(2)}x peak RSS`,
);

console.log(
  `\nforward output benchmark: ${LINES.toLocaleString("en-US")} lines tailed and sent by ` +
    `forward into Fluent Bit in_forward -> null`,
);
function fbReceiver(port: number, http: number): string[] {
  return fluentBitNull(fb!, http, fluentBitPlugin("-i", "forward", { listen: "127.0.0.1", port }));
}
const outPort = freePort(), outHttp = freePort();
const outConfig = `${out}/forward_output.yaml`;
await Deno.writeTextFile(
  outConfig,
  `
service:
  flush: 0.2
  log_level: warn
pipeline:
  inputs:
    - { name: tail, path: ${input}, read_from_head: true, buffer_chunk_size: 512k, buffer_max_size: 1M }
  outputs:
    - { name: forward, match: "*", host: 127.0.0.1, port: ${outPort} }
`,
);
const sluiceOut = await run(
  "sluice tail -> forward",
  fbReceiver(outPort, outHttp),
  outPort,
  outHttp,
  [...sluiceCmd, "-c", outConfig],
  "sender",
);
console.log(line(sluiceOut));
const fbOutPort = freePort(), fbOutHttp = freePort();
const fbOut = await run(
  "Fluent Bit tail -> forward",
  fbReceiver(fbOutPort, fbOutHttp),
  fbOutPort,
  fbOutHttp,
  undefined,
  "sender",
);
console.log(line(fbOut));
console.log(
  `ratio sluice / Fluent Bit: ${(sluiceOut.rate / fbOut.rate).toFixed(2)}x records/s, ` +
    `${(sluiceOut.peakRssMb / fbOut.peakRssMb).toFixed(2)}x peak RSS`,
);
