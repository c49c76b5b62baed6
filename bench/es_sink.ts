/**
 * The Elasticsearch stand-in of `bench/es.ts`, run as its own process so its CPU is not the
 * collector's: answers every `_bulk` POST with `{"took":1,"errors":false,"items":[]}` and
 * counts the items (line pairs) it got; `GET /count` tells, `DELETE /count` resets.
 *
 * Usage: `deno run --allow-net bench/es_sink.ts PORT`
 */
let items = 0;
let requests = 0;
const port = Number(Deno.args[0] ?? 0);
const ok = '{"took":1,"errors":false,"items":[]}';
Deno.serve({ hostname: "127.0.0.1", port, onListen: () => console.log("ready") }, async (req) => {
  if (req.method === "GET") return Response.json({ items, requests });
  if (req.method === "DELETE") {
    items = 0;
    requests = 0;
    return new Response(null, { status: 204 });
  }
  const body = new Uint8Array(await req.arrayBuffer());
  let n = 0;
  for (let i = 0; i < body.length; i++) if (body[i] === 10) n++;
  items += n / 2;
  requests++;
  return new Response(ok, { status: 200, headers: { "content-type": "application/json" } });
});
