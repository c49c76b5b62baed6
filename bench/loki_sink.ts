/**
 * The receiver of `bench/loki.ts`, run as its own process so its CPU is not the
 * collector's: a Loki push endpoint answering 204 that counts the entries of each push
 * (the `["<ns>",` openings of the values, without parsing the body); `GET /` tells.
 *
 * Usage: `deno run --allow-net bench/loki_sink.ts PORT`
 */
let records = 0;
let requests = 0;
const port = Number(Deno.args[0] ?? 0);
const OPEN = [91, 34]; // `["` starts each value, and nothing else in a push body
Deno.serve({ hostname: "127.0.0.1", port, onListen: () => console.log("ready") }, async (req) => {
  if (req.method === "GET") return Response.json({ records, requests });
  let body = new Uint8Array(await req.arrayBuffer());
  if (req.headers.get("content-encoding") === "gzip") {
    const s = new Blob([body]).stream().pipeThrough(new DecompressionStream("gzip"));
    body = new Uint8Array(await new Response(s).arrayBuffer());
  }
  let n = 0;
  for (let i = 0; i + 1 < body.length; i++) {
    if (body[i] === OPEN[0] && body[i + 1] === OPEN[1]) n++;
  }
  records += n;
  requests++;
  return new Response(null, { status: 204 });
});
