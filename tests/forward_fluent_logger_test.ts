/**
 * A Node Fluentd client (`fluent-logger` 3.4.1 from npm) against sluice's forward input,
 * run by the CLI: Message, PackedForward and CompressedPackedForward event modes with
 * `requireAckResponse` (each emit's callback fires only on sluice's ack) and the
 * shared-key handshake with user auth. Every record printed once, with its time.
 */
import fluentLogger from "fluent-logger";
import { assertEquals } from "../src/testing/assert.ts";
import { freePort, tempDirWith, waitFor } from "./_helpers.ts";
import { runSluice } from "./_forward.ts";

type Sender = {
  emit(
    label: string,
    record: Record<string, unknown>,
    time: unknown,
    cb: (err?: Error) => void,
  ): void;
  end(label?: string, record?: unknown, cb?: () => void): void;
};

/** fluent-logger's EventTime (its typings declare it as a value, not a class). */
const EventTime = fluentLogger.EventTime as unknown as new (sec: number, nsec: number) => unknown;

function emit(
  sender: Sender,
  label: string,
  record: Record<string, unknown>,
  time: unknown,
): Promise<void> {
  return new Promise((resolve, reject) =>
    sender.emit(label, record, time, (e) => (e ? reject(e) : resolve()))
  );
}

Deno.test("fluent-logger in ack mode: every event mode and the handshake are acked by sluice", async () => {
  const [plain, secure] = [freePort(), freePort()];
  const dir = await tempDirWith({
    "sluice.yaml": `
pipeline:
  inputs:
    - { name: forward, listen: 127.0.0.1, port: ${plain} }
    - name: forward
      listen: 127.0.0.1
      port: ${secure}
      shared_key: k3y
      security.users: bob pw
  outputs:
    - { name: stdout, match: "*" }
`,
  });
  const child = runSluice(`${dir}/sluice.yaml`);
  const out = () => child.stdout();
  const err = () => child.stderr();
  const senders: Sender[] = [];
  try {
    await waitFor(() => err().split("listening on").length === 3, { what: "sluice listening" });
    const modes = ["Message", "PackedForward", "CompressedPackedForward"];
    for (const eventMode of modes) {
      const s = fluentLogger.createFluentSender("node", {
        host: "127.0.0.1",
        port: plain,
        requireAckResponse: true,
        ackResponseTimeout: 10_000,
        eventMode,
      }) as unknown as Sender;
      senders.push(s);
      for (let i = 0; i < 3; i++) {
        await emit(s, eventMode, { i }, new EventTime(1700000000 + i, 1000 + i));
      }
    }
    const secured = fluentLogger.createFluentSender("node", {
      host: "127.0.0.1",
      port: secure,
      requireAckResponse: true,
      security: { clientHostname: "node.local", sharedKey: "k3y", username: "bob", password: "pw" },
    }) as unknown as Sender;
    senders.push(secured);
    await emit(secured, "secure", { ok: true }, new EventTime(1700000100, 7));
    for (const mode of modes) {
      for (let i = 0; i < 3; i++) {
        const line = `node.${mode}: [[${1700000000 + i}.00000${1000 + i}, {}], {"i"=>${i}}]`;
        await waitFor(() => out().includes(line), { what: line });
        assertEquals(out().split(line).length, 2, `${line} once`);
      }
    }
    await waitFor(() => out().includes(`node.secure: [[1700000100.000000007, {}], {"ok"=>true}]`), {
      what: "the secured record",
    });
  } finally {
    for (const s of senders) s.end();
    await child.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
