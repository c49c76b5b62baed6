/**
 * `deno task bench:http_client`: the transport alone. POSTs bodies of 1 MB and 10 KB to
 * a receiver in another process (plain HTTP, and HTTPS with a self-signed certificate),
 * two requests at a time, with sluice's HTTP client (node:http(s) pool) and with the
 * runtime's fetch; requests/s and MB/s, best of three rounds. fetch cannot turn off
 * certificate verification, which is why the client is built on node:https.
 */
import { postDelivered } from "../src/net/http_client/deliver.ts";
import { createHttpClient } from "../src/net/http_client/factory.ts";
import { selfSignedCert } from "../src/testing/tls_certs.ts";
import { Logger } from "../src/engine/log.ts";

const root = new URL("..", import.meta.url).pathname;
const cert = await selfSignedCert();

async function sink(tls: boolean): Promise<{ port: number; child: Deno.ChildProcess }> {
  const code = `
    const opts = { hostname: "127.0.0.1", port: 0, onListen: (a) => console.log(a.port) };
    ${
    tls ? `opts.cert = ${JSON.stringify(cert.cert)}; opts.key = ${JSON.stringify(cert.key)};` : ""
  }
    Deno.serve(opts, async (req) => { await req.arrayBuffer(); return new Response(null); });`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    stdout: "piped",
    cwd: root,
  }).spawn();
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  reader.releaseLock();
  return { port: Number(new TextDecoder().decode(value).trim()), child };
}

async function rate(n: number, post: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  let left = n;
  await Promise.all([0, 1].map(async () => {
    while (left-- > 0) await post();
  }));
  return n / ((performance.now() - t0) / 1000);
}

const log = new Logger({ level: "error" });
console.log("transport              body     req/s    MB/s  (best of 3, 2 at a time)");
for (const tls of [false, true]) {
  const { port, child } = await sink(tls);
  const scheme = tls ? "https" : "http";
  const options = { host: "127.0.0.1", port, tls, "tls.ca_file": cert.certFile };
  const ours = createHttpClient(options, { name: "bench", log });
  const off = createHttpClient({ ...options, "tls.verify": false }, { name: "bench", log });
  const fc = Deno.createHttpClient(tls ? { caCerts: [cert.cert] } : {});
  for (const [size, n] of [[1_000_000, 200], [10_000, 1000]] as const) {
    const body = new Uint8Array(size).fill(97);
    const runs: [string, () => Promise<unknown>][] = [
      [`${scheme} sluice client`, () => postDelivered(ours, { path: "/", body, contentType: "x" })],
      [`${scheme} fetch`, async () => {
        const r = await fetch(`${scheme}://127.0.0.1:${port}/`, {
          method: "POST",
          body,
          client: fc,
        });
        await r.body?.cancel();
      }],
    ];
    if (tls) {
      runs.push([
        `${scheme} sluice verify off`,
        () => postDelivered(off, { path: "/", body, contentType: "x" }),
      ]);
    }
    for (const [name, post] of runs) {
      let best = 0;
      for (let round = 0; round < 3; round++) best = Math.max(best, await rate(n, post));
      const label = `${size / 1000} KB`.padStart(8);
      console.log(
        `${name.padEnd(22)} ${label} ${best.toFixed(0).padStart(7)} ${
          (best * size / 1e6).toFixed(0).padStart(7)
        }`,
      );
    }
  }
  ours.close();
  off.close();
  fc.close();
  child.kill();
  await child.status;
}
await Deno.remove(cert.dir, { recursive: true });
