/**
 * sigv4 against AWS's Signature Version 4 test suite (testdata/aws-sigv4/, copied from
 * awslabs/aws-c-auth tests/aws-signing-test-suite/v4): the canonical request, the string to
 * sign, the signature and the Authorization header of every case.
 */
import { assertEquals } from "../../testing/assert.ts";
import { canonicalRequest } from "./canonical.ts";
import { sha256Hex, signature, signRequest, stringToSign } from "./sigv4.ts";

const SUITE = new URL("../../../testdata/aws-sigv4/", import.meta.url);

interface Context {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  normalize: boolean;
  region: string;
  service: string;
  sign_body: boolean;
  timestamp: string;
  omit_session_token?: boolean;
}

interface RawRequest {
  method: string;
  path: string;
  query: string;
  headers: [string, string][];
  body: Uint8Array;
}

/** Parses request.txt: request line, headers (continuation lines folded in), body. */
function parseRequest(text: string): RawRequest {
  const split = text.indexOf("\n\n");
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? "" : text.slice(split + 2);
  const lines = head.split("\n").filter((l) => l !== "");
  const first = lines.shift() ?? "";
  const m = /^(\S+) (.*) HTTP\/1\.1$/.exec(first);
  if (!m) throw new SyntaxError(`Cannot parse request line ${JSON.stringify(first)}`);
  const target = m[2]!;
  const q = target.indexOf("?");
  const headers: [string, string][] = [];
  for (const line of lines) {
    const last = headers[headers.length - 1];
    if (/^\s/.test(line) && last) {
      last[1] += `\n${line}`;
      continue;
    }
    const colon = line.indexOf(":");
    headers.push([line.slice(0, colon), line.slice(colon + 1)]);
  }
  return {
    method: m[1]!,
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? "" : target.slice(q + 1),
    headers,
    body: new TextEncoder().encode(body),
  };
}

function read(dir: string, name: string): string {
  return Deno.readTextFileSync(new URL(`${dir}/${name}`, SUITE));
}

const cases = [...Deno.readDirSync(SUITE)].filter((e) => e.isDirectory).map((e) => e.name).sort();

Deno.test("the test suite is present (testdata/aws-sigv4)", () => {
  assertEquals(cases.length >= 30, true, `only ${cases.length} cases found`);
});

for (const name of cases) {
  Deno.test(`sigv4 test suite: ${name}`, async () => {
    const ctx = JSON.parse(read(name, "context.json")) as Context;
    const req = parseRequest(read(name, "request.txt"));
    const stamp = ctx.timestamp.replace(/[-:]/g, "");
    const token = ctx.credentials.token;
    const payloadHash = await sha256Hex(req.body);
    const headers: [string, string][] = [...req.headers, ["X-Amz-Date", stamp]];
    if (ctx.sign_body) headers.push(["X-Amz-Content-Sha256", payloadHash]);
    if (token && !ctx.omit_session_token) headers.push(["X-Amz-Security-Token", token]);
    const { text } = canonicalRequest(
      { method: req.method, path: req.path, query: req.query, headers, payloadHash },
      { normalizePath: ctx.normalize },
    );
    assertEquals(text, read(name, "header-canonical-request.txt").trimEnd());
    const scope = `${stamp.slice(0, 8)}/${ctx.region}/${ctx.service}/aws4_request`;
    const sts = await stringToSign(text, stamp, scope);
    assertEquals(sts, read(name, "header-string-to-sign.txt").trimEnd());
    const sig = await signature(sts, ctx.credentials.secret_access_key, {
      day: stamp.slice(0, 8),
      region: ctx.region,
      service: ctx.service,
    });
    assertEquals(sig, read(name, "header-signature.txt").trim());

    // End to end through signRequest where a URL carries the path as the suite writes it.
    const url = new URL(`https://example.amazonaws.com${req.path}`);
    if (url.pathname !== req.path || headers.some(([, v]) => v.includes("\n"))) return;
    url.search = req.query;
    const signed = await signRequest(
      { method: req.method, url, headers: req.headers, body: req.body },
      {
        region: ctx.region,
        service: ctx.service,
        credentials: {
          accessKeyId: ctx.credentials.access_key_id,
          secretAccessKey: ctx.credentials.secret_access_key,
          sessionToken: token,
        },
        now: new Date(ctx.timestamp),
        normalizePath: ctx.normalize,
        contentSha256Header: ctx.sign_body,
        omitSessionTokenFromSignature: ctx.omit_session_token,
      },
    );
    const authz = /^Authorization:(.*)$/m.exec(read(name, "header-signed-request.txt"))?.[1];
    assertEquals(signed.get("authorization"), authz?.trim());
    assertEquals(signed.get("x-amz-date"), stamp);
    assertEquals(signed.get("x-amz-security-token") ?? undefined, token);
  });
}
