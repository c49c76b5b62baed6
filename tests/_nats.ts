/**
 * Test helpers shared by the NATS tests: publish into a JetStream stream, and read what a
 * stream or subject holds, with the npm client the plugins use.
 */
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";

/** A connection to the test server on `port`. */
export function natsConnect(port: number): Promise<NatsConnection> {
  return connect({ servers: `127.0.0.1:${port}`, name: "sluice-test" });
}

/** Makes stream `feed.stream` on `feed.subject` and publishes each payload to it. */
export async function publishToStream(
  port: number,
  feed: { stream: string; subject: string; payloads: readonly string[] },
): Promise<void> {
  const nc = await natsConnect(port);
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: feed.stream, subjects: [feed.subject] }).catch(() => {});
    const js = jetstream(nc);
    for (const p of feed.payloads) await js.publish(feed.subject, p);
  } finally {
    await nc.close();
  }
}

/** How many messages stream `name` holds (0 when it does not exist). */
export async function streamMessages(port: number, name: string): Promise<number> {
  const nc = await natsConnect(port);
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(name).catch(() => null);
    return info?.state.messages ?? 0;
  } finally {
    await nc.close();
  }
}

/**
 * The `log` ids of every record stream `name` holds (each stored message read once with an
 * ordered consumer), with how often each is there: dedup at the stream means once each.
 */
export async function streamIds(port: number, name: string): Promise<Map<number, number>> {
  const nc = await natsConnect(port);
  const counts = new Map<number, number>();
  try {
    const js = jetstream(nc);
    const total = await streamMessages(port, name);
    if (total === 0) return counts;
    const c = await js.consumers.get(name);
    let seen = 0;
    while (seen < total) {
      const batch = await c.fetch({ max_messages: 1000, expires: 2000 });
      let got = 0;
      for await (const m of batch) {
        got++;
        seen++;
        for (const [, body] of m.json<[number, Record<string, unknown>][]>()) {
          const id = /^id=(\d+) /.exec(String(body.log));
          if (id) counts.set(Number(id[1]), (counts.get(Number(id[1])) ?? 0) + 1);
        }
      }
      if (got === 0) break;
    }
  } finally {
    await nc.close();
  }
  return counts;
}

/** Every message stream `name` holds, in order: its subject and its Fluent Bit JSON records. */
export async function streamRecords(
  port: number,
  name: string,
): Promise<{ subject: string; bodies: Record<string, unknown>[] }[]> {
  const nc = await natsConnect(port);
  const out: { subject: string; bodies: Record<string, unknown>[] }[] = [];
  try {
    const total = await streamMessages(port, name);
    if (total === 0) return out;
    const c = await jetstream(nc).consumers.get(name);
    while (out.length < total) {
      const batch = await c.fetch({ max_messages: 1000, expires: 2000 });
      let got = 0;
      for await (const m of batch) {
        got++;
        const pairs = m.json<[number, Record<string, unknown>][]>();
        out.push({ subject: m.subject, bodies: pairs.map(([, b]) => b) });
      }
      if (got === 0) break;
    }
  } finally {
    await nc.close();
  }
  return out;
}

/** Collects the payloads published on `subject` (core NATS) until `close`. */
export async function collectSubject(
  port: number,
  subject: string,
): Promise<{ payloads: string[]; close(): Promise<void> }> {
  const nc = await natsConnect(port);
  const payloads: string[] = [];
  nc.subscribe(subject, {
    callback: (_e, m) => {
      payloads.push(m.string());
    },
  });
  await nc.flush();
  return { payloads, close: () => nc.close() };
}
