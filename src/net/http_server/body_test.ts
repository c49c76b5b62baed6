import zlib from "node:zlib";
import { assertEquals, assertRejects } from "../../testing/assert.ts";
import { parseBasic, parseBearer, sameSecret } from "./auth.ts";
import { inflate, parseContentEncoding, readBody } from "./body.ts";
import { HttpError } from "./errors.ts";
import { fromWebRequest } from "./request.ts";

Deno.test("inflate reads gzip, zlib and raw deflate, and zstd, within the limit", async () => {
  const data = new TextEncoder().encode("hello ".repeat(100));
  assertEquals(await inflate(zlib.gzipSync(data), "gzip", 600), data);
  assertEquals(await inflate(zlib.deflateSync(data), "deflate", 600), data);
  assertEquals(await inflate(zlib.deflateRawSync(data), "deflate", 600), data);
  assertEquals(await inflate(zlib.zstdCompressSync(data), "zstd", 600), data);
});

Deno.test("inflate refuses output over the limit (413) and corrupt data (400)", async () => {
  const zeros = new Uint8Array(10_000_000);
  for (
    const [coding, packed] of [
      ["gzip", zlib.gzipSync(zeros)],
      ["deflate", zlib.deflateSync(zeros)],
      ["zstd", zlib.zstdCompressSync(zeros)],
    ] as const
  ) {
    const e = await assertRejects(() => inflate(packed, coding, 1000), HttpError) as HttpError;
    assertEquals(e.status, 413, coding);
  }
  const bad = await assertRejects(
    () => inflate(new Uint8Array([31, 139, 8, 0, 1]), "gzip", 100),
    HttpError,
  ) as HttpError;
  assertEquals(bad.status, 400);
});

Deno.test("readBody checks the coding against the accepted ones", async () => {
  const req = (enc: string) =>
    fromWebRequest(
      new Request("http://x/", { method: "POST", body: "x", headers: { "content-encoding": enc } }),
    );
  assertEquals(parseContentEncoding("X-GZIP"), "gzip");
  assertEquals(parseContentEncoding("br"), null);
  const e = await readBody(req("deflate"), { limit: 10, codings: ["gzip"] }).catch((e) => e);
  assertEquals([e.status, e.message], [
    415,
    'Unsupported Content-Encoding "deflate": expected gzip or none',
  ]);
  assertEquals(
    await readBody(req("identity"), { limit: 10, codings: [] }),
    new TextEncoder().encode("x"),
  );
});

Deno.test("auth helpers parse Bearer and UTF-8 Basic credentials", () => {
  assertEquals(parseBearer("Bearer  abc "), "abc");
  assertEquals(parseBearer("Basic abc"), null);
  const b64 = btoa(String.fromCharCode(...new TextEncoder().encode("üser:pa:ss")));
  assertEquals(parseBasic(`basic ${b64}`), { user: "üser", password: "pa:ss" });
  assertEquals(parseBasic("Basic !!"), null);
  assertEquals([sameSecret("a", "a"), sameSecret("a", "ab"), sameSecret("", "")], [
    true,
    false,
    true,
  ]);
});
