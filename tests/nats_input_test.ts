/**
 * The nats input's core NATS side from the CLI: two sluice instances in one queue group
 * subscribe to a subject; Fluent Bit out_nats payloads and plain JSON published to it reach
 * exactly one member each.
 */
import { assertEquals } from "../src/testing/assert.ts";
import { HttpReceiver } from "../src/testing/http_receiver.ts";
import { NatsServer, NO_NATS } from "../src/testing/nats_server.ts";
import { until } from "../src/testing/until.ts";
import { spawnSluice } from "./_helpers.ts";
import { natsConnect } from "./_nats.ts";

function member(natsPort: number, httpPort: number): string {
  return `
service:
  flush: 0.1
  grace: 2
pipeline:
  inputs:
    - name: nats
      port: ${natsPort}
      subject: app.logs
      queue_group: workers
  outputs:
    - name: http
      match: "*"
      port: ${httpPort}
      format: json_lines
`;
}

Deno.test({
  name: "nats input: a queue group of two sluice members gets each core NATS message once",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const nats = await NatsServer.start();
    if (!nats) {
      console.log(NO_NATS);
      return;
    }
    const dir = await Deno.makeTempDir({ prefix: "sluice_nats_in_" });
    const rx = await HttpReceiver.start();
    await Deno.writeTextFile(`${dir}/m.yaml`, member(nats.port, rx.port));
    const members = [spawnSluice(["-c", `${dir}/m.yaml`]), spawnSluice(["-c", `${dir}/m.yaml`])];
    const nc = await natsConnect(nats.port);
    try {
      // Probes until a member is subscribed (the other may join later: each message still
      // goes to one member of the group).
      let probes = 0;
      await until(
        async () => {
          nc.publish("app.logs", JSON.stringify({ probe: probes++ }));
          await nc.flush();
          return rx.records().filter((r) => r.probe !== undefined).length >= 1;
        },
        "a member to subscribe",
        { timeout: 30_000, interval: 200 },
      );
      const before = rx.recordCount();
      const N = 200;
      for (let i = 0; i < N; i++) {
        nc.publish(
          "app.logs",
          i % 2 === 0 ? `[[1700000000.5,{"tag":"fb.tag","n":${i}}]]` : JSON.stringify({ n: i }),
        );
      }
      await nc.flush();
      await until(() => rx.recordCount() - before >= N, `${N} records`, { timeout: 20_000 });
      const got = rx.records().filter((r) => typeof r.n === "number").map((r) => r.n as number);
      assertEquals(got.length, N, "each message once");
      assertEquals(new Set(got).size, N);
    } finally {
      await nc.close();
      for (const m of members) {
        m.kill("SIGTERM");
        await m.output();
      }
      await rx.stop();
      await nats.stop();
    }
  },
});
