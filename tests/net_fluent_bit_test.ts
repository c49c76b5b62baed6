/**
 * Interop with Fluent Bit 4.2.8 over real sockets: its tcp output (json_lines and msgpack)
 * into sluice's tcp input, and sluice's tcp output into its tcp input. Skipped, saying so,
 * when the peer binary is absent.
 */
import { assertEquals } from "../src/testing/assert.ts";
import {
  fluentBitPath,
  fluentBitPlugin,
  NO_PEER,
  spawnFluentBit,
} from "../src/testing/fluent_bit.ts";
import { TcpReceiver } from "../src/testing/tcp_receiver.ts";
import { until } from "../src/testing/until.ts";
import { freePort } from "./_helpers.ts";
import {
  exactlyOnce,
  idsOf,
  jsonLines,
  netConfig,
  sendTcp,
  startNetService,
  tcpIn,
  tcpOut,
} from "./_net.ts";

const bin = await fluentBitPath();
const N = 2000;

function skip(): boolean {
  if (bin) return false;
  console.warn(NO_PEER);
  return true;
}

for (const format of ["json_lines", "msgpack"]) {
  Deno.test(`Fluent Bit out_tcp (${format}) -> sluice tcp input: every record arrives`, async () => {
    if (skip()) return;
    const rx = await TcpReceiver.start();
    const svc = await startNetService(
      await Deno.makeTempDir(),
      netConfig(
        tcpIn([`format: ${format === "msgpack" ? "msgpack" : "json"}`]),
        tcpOut(rx.port, ["format: json_lines"]),
      ),
    );
    const fb = spawnFluentBit(bin!, [
      "-q",
      "-f",
      "0.2",
      "-i",
      "stdin",
      ...fluentBitPlugin("-o", "tcp", { match: "*", host: "127.0.0.1", port: svc.port, format }),
    ], { stdin: true });
    try {
      const writer = fb.child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(jsonLines(0, N)));
      await writer.close();
      await rx.waitFor(() => rx.jsonLines().length >= N, `${N} records from Fluent Bit`, 30_000);
      assertEquals(exactlyOnce(idsOf(rx.jsonLines()), N), "ok");
      assertEquals(svc.value("sluice_input_malformed_records_total"), 0);
    } finally {
      await fb.stop();
      await svc.stop();
      await rx.stop();
    }
  });
}

Deno.test("sluice tcp output -> Fluent Bit in_tcp: every record arrives", async () => {
  if (skip()) return;
  const fbPort = freePort();
  const fb = spawnFluentBit(bin!, [
    "-f",
    "0.2",
    ...fluentBitPlugin("-i", "tcp", { listen: "127.0.0.1", port: fbPort, format: "json" }),
    ...fluentBitPlugin("-o", "stdout", { match: "*", format: "json_lines" }),
  ]);
  const svc = await startNetService(
    await Deno.makeTempDir(),
    netConfig(
      tcpIn(),
      tcpOut(fbPort, ["format: json_lines", "retry_limit: no_limits"]),
      ["scheduler.base: 0.1", "scheduler.cap: 0.5"],
    ),
  );
  // Whole lines only: the last piece may still be being written.
  const received = () =>
    fb.stdout().split("\n").slice(0, -1).filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  try {
    await until(() => /\[in_tcp|listening on|tcp\.0/.test(fb.stderr()), "Fluent Bit to start", {
      timeout: 20_000,
    });
    await sendTcp(svc.port, jsonLines(0, N));
    await until(() => received().length >= N, `${N} records in Fluent Bit`, { timeout: 30_000 });
    assertEquals(exactlyOnce(idsOf(received()), N), "ok");
  } finally {
    await svc.stop();
    await fb.stop();
  }
});
