import { assertEquals } from "../../testing/assert.ts";
import { HttpClient } from "./client.ts";
import { clientSettings } from "./factory.ts";
import { getJsonObject } from "./get_json.ts";

const answers: Record<string, () => Response> = {
  "/object": () => Response.json({ kind: "Pod", n: 1 }),
  "/missing": () => new Response('{"kind":"Status",\n  "code":404}', { status: 404 }),
  "/array": () => Response.json([1, 2]),
  "/text": () => new Response("not json"),
  "/big": () => new Response(`{"pad":"${"x".repeat(100)}"}`),
};

Deno.test("getJsonObject reads a JSON object and tells why when it cannot", async () => {
  const seen: (string | null)[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    seen.push(req.headers.get("authorization"));
    return answers[new URL(req.url).pathname]!();
  });
  const client = new HttpClient(
    clientSettings({ host: "127.0.0.1", port: server.addr.port, tls: false }),
  );
  const get = (path: string) =>
    getJsonObject(client, path, { maxBytes: 64, headers: { Authorization: "Bearer t" } });
  try {
    assertEquals(await get("/object"), { ok: true, json: { kind: "Pod", n: 1 } });
    assertEquals(await get("/missing"), {
      ok: false,
      status: 404,
      reason: 'HTTP 404: {"kind":"Status", "code":404}',
    });
    assertEquals(await get("/array"), { ok: false, reason: "the answer is not a JSON object" });
    assertEquals((await get("/text")).ok, false);
    assertEquals(await get("/big"), {
      ok: false,
      reason: "the answer is larger than 64 bytes",
      tooLarge: true,
    });
    assertEquals(seen, Array(5).fill("Bearer t"));
  } finally {
    client.close();
    await server.shutdown();
  }
});
