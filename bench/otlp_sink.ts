/**
 * The OTLP/HTTP receiver of `bench:otlp-compare`, run as its own process so its CPU is
 * neither the collector's nor the load's: answers 200 to every POST and counts the spans
 * in it; `GET /count` tells `{ spans, requests }`, `DELETE /count` resets both.
 *
 * Usage: `deno run --allow-net bench/otlp_sink.ts PORT`
 */
import { countSpans } from "./otlp_load.ts";

let spans = 0;
let requests = 0;
const port = Number(Deno.args[0] ?? 0);
Deno.serve({ hostname: "127.0.0.1", port, onListen: () => console.log("ready") }, async (req) => {
  if (req.method === "GET") return Response.json({ spans, requests });
  if (req.method === "DELETE") {
    spans = requests = 0;
    return new Response(null, { status: 204 });
  }
  let body: Uint8Array;
  try {
    body = new Uint8Array(await req.arrayBuffer());
  } catch {
    return new Response(null, { status: 400 }); // the sender went away mid-request
  }
  spans += countSpans(body);
  requests++;
  return new Response(null, { status: 200 });
});
