/**
 * `deno task bench:cloudwatch_logs`: tail (read_from_head, exit_on_eof) -> cloudwatch_logs
 * into the local CloudWatch Logs stand-in (TLS, every request's signature checked, in this
 * process), sluice and then Fluent Bit 4.2.8 on the same lines, with the ratio. The stand-in
 * shares the machine: its own CPU is not in the figures, but it slows both runs alike.
 * `BENCH_CW_LINES` lines of the line benchmark file (200,000 by default).
 */
import { fluentBitPath } from "../src/testing/fluent_bit.ts";
import { TestKeys } from "../src/testing/aws_keys.ts";
import { CloudwatchReceiver } from "../src/testing/cloudwatch_receiver.ts";
import { selfSignedCert } from "../src/testing/tls_certs.ts";
import { benchInput } from "./lines.ts";
import { loadAverage, measure, report, sluiceCommand } from "./measure.ts";

const KEY = "AKIDBENCH";
const SECRET = "bench-secret";
const { out, input: all } = await benchInput();
const LINES = Number(Deno.env.get("BENCH_CW_LINES") ?? 200_000);
const input = `${out}/cloudwatch_lines.log`;
const text = await Deno.readTextFile(all);
let end = 0;
for (let i = 0; i < LINES; i++) end = text.indexOf("\n", end) + 1;
await Deno.writeTextFile(input, text.slice(0, end));

const cert = await selfSignedCert();
const rx = CloudwatchReceiver.start(new TestKeys({ [KEY]: SECRET }), {
  tls: { cert: cert.cert, key: cert.key },
});
const env = {
  ...Deno.env.toObject(),
  AWS_ACCESS_KEY_ID: KEY,
  AWS_SECRET_ACCESS_KEY: SECRET,
  AWS_EC2_METADATA_DISABLED: "true",
};
const output = {
  region: "us-east-1",
  log_stream_name: "s",
  auto_create_group: "on",
  endpoint: "127.0.0.1",
  port: String(rx.port),
  "tls.verify": "off",
};
const props = (o: Record<string, string>) =>
  Object.entries(o).flatMap(([k, v]) => ["-p", `${k}=${v}`]);

const { entry, cmd } = await sluiceCommand();
console.log(
  `tail -> cloudwatch_logs, ${LINES.toLocaleString("en-US")} lines (${entry}), load average ` +
    `${loadAverage()} (2 cores shared with other work; the receiver runs in this process)`,
);
const ours = await measure([
  ...cmd,
  "-i",
  "tail",
  ...props({ path: input, read_from_head: "on", exit_on_eof: "on" }),
  "-o",
  "cloudwatch_logs",
  ...props({ ...output, log_group_name: "sluice" }),
  "-f",
  "0.2",
], { env });
const got = rx.events("sluice", "s").length;
console.log(report("sluice", got, ours) + `  [${got} events, load ${loadAverage()}]`);
if (ours.code !== 0 || got !== LINES) console.log(`!! sluice: exit ${ours.code}, ${got} events`);

const bin = await fluentBitPath();
if (!bin) {
  console.log("Fluent Bit 4.2.8 peer not found: no side-by-side figure");
} else {
  const peer = await measure([
    bin,
    "-q",
    "-f",
    "0.2",
    "-i",
    "tail",
    ...props({ path: input, read_from_head: "on", exit_on_eof: "on" }),
    "-o",
    "cloudwatch_logs",
    "-m",
    "*",
    ...props({ ...output, log_group_name: "fluentbit" }),
  ], { env });
  const fbGot = rx.events("fluentbit", "s").length;
  console.log(
    report("Fluent Bit 4.2.8", fbGot, peer) + `  [${fbGot} events, load ${loadAverage()}]`,
  );
  console.log(
    `ratio sluice / Fluent Bit: ${((got / ours.wall) / (fbGot / peer.wall)).toFixed(2)}x ` +
      `records/s, ${(ours.cpu / peer.cpu).toFixed(2)}x CPU-s, ` +
      `${(ours.peakRssMb / peer.peakRssMb).toFixed(2)}x peak RSS`,
  );
}
await rx.stop();
await Deno.remove(cert.dir, { recursive: true });
