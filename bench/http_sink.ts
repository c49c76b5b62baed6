/**
 * The receiver of `bench/http.ts` and `bench/compare.ts`, run as its own process so its
 * CPU is not sluice's: answers 200 to every POST and counts the JSON lines it got;
 * `GET /count` tells, `DELETE /count` starts the counts again.
 *
 * Usage: `deno run --allow-net bench/http_sink.ts PORT`
 */
let records = 0;
let requests = 0;
const port = Number(Deno.args[0] ?? 0);
Deno.serve({ hostname: "127.0.0.1", port, onListen: () => console.log("ready") }, async (req) => {
  if (req.method === "GET") return Response.json({ records, requests });
  if (req.method === "DELETE") {
    records = 0;
    requests = 0;
    return new Response(null, { status: 204 });
  }
  const body = new Uint8Array(await req.arrayBuffer());
  let n = 0;
  for (let i = 0; i < body.length; i++) if (body[i] === 10) n++;
  records += n;
  requests++;
  return new Response(null, { status: 200 });
});
