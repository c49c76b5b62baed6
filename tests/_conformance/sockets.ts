/**
 * Plain socket senders for the conformance feeds of the tcp and udp inputs, to 127.0.0.1.
 */
import dgram from "node:dgram";

/** Writes each of `payloads` on a TCP connection of its own to `port`, then closes it. */
export async function sendOnConnections(port: number, payloads: readonly string[]): Promise<void> {
  const enc = new TextEncoder();
  for (const text of payloads) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      const data = enc.encode(text);
      let at = 0;
      while (at < data.length) at += await conn.write(data.subarray(at));
    } finally {
      conn.close();
    }
  }
}

/** Sends each of `datagrams` as one UDP datagram to `port`. */
export async function sendDatagrams(port: number, datagrams: readonly string[]): Promise<void> {
  const socket = dgram.createSocket("udp4");
  const enc = new TextEncoder();
  try {
    for (const text of datagrams) {
      await new Promise<void>((resolve, reject) =>
        socket.send(enc.encode(text), port, "127.0.0.1", (e) => e ? reject(e) : resolve())
      );
    }
  } finally {
    socket.close();
  }
}
