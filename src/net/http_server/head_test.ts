import { assertEquals, assertThrows } from "../../testing/assert.ts";
import { HeadError, headLength, parseHead } from "./head.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("headLength finds the blank line (CRLF or bare LF), -1 while incomplete", () => {
  assertEquals(headLength(enc("GET / HTTP/1.1\r\nHost: x\r\n\r\nbody")), 27);
  assertEquals(headLength(enc("GET / HTTP/1.1\nHost: x\n\nbody")), 24);
  assertEquals(headLength(enc("GET / HTTP/1.1\r\nHost: x\r\n")), -1);
});

Deno.test("parseHead reads framing, keep-alive and Expect", () => {
  const h = parseHead(
    enc("POST /a?b HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"),
  );
  assertEquals([h.method, h.target, h.minor, h.keepAlive, h.expectContinue], [
    "POST",
    "/a?b",
    1,
    true,
    true,
  ]);
  assertEquals(h.framing, { kind: "length", length: 5 });
  const old = parseHead(enc("GET / HTTP/1.0\r\n\r\n"));
  assertEquals(old.keepAlive, false);
  const chunked = parseHead(enc("POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n"));
  assertEquals(chunked.framing, { kind: "chunked" });
  assertEquals(parseHead(enc("POST / HTTP/1.1\r\nConnection: close\r\n\r\n")).keepAlive, false);
});

Deno.test("parseHead refuses smuggling-prone and malformed heads", () => {
  const status = (text: string) => {
    try {
      parseHead(enc(text));
      return 0;
    } catch (e) {
      return (e as HeadError).status;
    }
  };
  assertEquals(
    status("POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"),
    400,
  );
  assertEquals(status("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"), 501);
  assertEquals(status("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"), 400);
  assertEquals(status("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n"), 400);
  assertEquals(status("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n"), 0);
  assertEquals(status("GET / HTTP/2.0\r\n\r\n"), 505);
  assertEquals(status("GET /\r\n\r\n"), 400);
  assertEquals(status("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n"), 400);
  assertThrows(() => parseHead(enc("GET / HTTP/1.1\r\n: x\r\n\r\n")), HeadError);
});
