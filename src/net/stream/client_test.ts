import { PermanentError, RetryableError } from "../../engine/errors.ts";
import { assert, assertEquals, assertRejects } from "../../testing/assert.ts";
import { TcpReceiver } from "../../testing/tcp_receiver.ts";
import { TcpClient } from "./client.ts";

const enc = new TextEncoder();

Deno.test("TcpClient reconnects on the next write after the peer closed", async () => {
  const rx = await TcpReceiver.start();
  const client = new TcpClient({ host: "127.0.0.1", port: rx.port });
  try {
    await client.write(enc.encode("one\n"));
    await rx.waitFor(() => rx.bytes().length === 4, "the first write");
    await rx.stop();
    await rx.waitFor(() => !client.connected, "the client to notice the close");
    await assertRejects(() => client.write(enc.encode("lost?\n")), RetryableError, "connect");
    rx.restart();
    await client.write(enc.encode("two\n"));
    await rx.waitFor(() => rx.bytes().length === 8, "the second write");
    assertEquals(new TextDecoder().decode(rx.bytes()), "one\ntwo\n");
    assertEquals(rx.accepted, 2);
  } finally {
    await client.close();
    await rx.stop();
  }
});

Deno.test("TcpClient: a refused connection and a failed TLS handshake are retryable", async () => {
  const free = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (free.addr as Deno.NetAddr).port;
  free.close();
  const plain = new TcpClient({ host: "127.0.0.1", port });
  await assertRejects(() => plain.write(enc.encode("x")), RetryableError, "Connection refused");
  // A server that never answers the TLS hello: the handshake times out, not a certificate issue.
  const rx = await TcpReceiver.start();
  const tls = new TcpClient({
    host: "127.0.0.1",
    port: rx.port,
    connectTimeout: 0.5,
    tls: { verify: true, verifyHostname: false },
  });
  const e = await tls.write(enc.encode("x")).then(() => null, (e) => e);
  assert(e instanceof RetryableError && !(e instanceof PermanentError), String(e));
  await tls.close();
  await rx.stop();
});
