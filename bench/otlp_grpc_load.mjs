// OTLP/gRPC load for bench/otlp_grpc.ts, run with node (its nghttp2 client costs the
// machine little): `node otlp_grpc_load.mjs PORT BODIES_FILE CLIENTS`. BODIES_FILE holds
// length-prefixed (4 bytes big-endian) ExportTraceServiceRequest bodies; each is sent once
// as a TraceService/Export call by one of CLIENTS connections, retried after 50 ms on
// UNAVAILABLE or RESOURCE_EXHAUSTED. Prints "ok RETRIES" when all were answered OK.
import http2 from "node:http2";
import fs from "node:fs";

const [port, file, clients] = [Number(process.argv[2]), process.argv[3], Number(process.argv[4])];
const raw = fs.readFileSync(file);
const frames = [];
for (let at = 0; at < raw.length;) {
  const len = raw.readUInt32BE(at);
  const frame = Buffer.alloc(5 + len);
  frame.writeUInt32BE(len, 1);
  raw.copy(frame, 5, at + 4, at + 4 + len);
  frames.push(frame);
  at += 4 + len;
}
const path = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
let next = 0;
let retries = 0;

function call(session, frame) {
  return new Promise((resolve, reject) => {
    const req = session.request({
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc",
      te: "trailers",
    });
    let status;
    req.on("response", (h) => (status = h["grpc-status"] ?? status));
    req.on("trailers", (t) => (status = t["grpc-status"] ?? status));
    req.on("data", () => {});
    req.on("end", () => resolve(Number(status ?? -1)));
    req.on("error", reject);
    req.end(frame);
  });
}

async function client() {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  session.on("error", () => {});
  while (next < frames.length) {
    const frame = frames[next++];
    while (true) {
      const code = await call(session, frame).catch(() => 14);
      if (code === 0) break;
      if (code !== 14 && code !== 8) throw new Error(`Export failed with grpc-status ${code}`);
      retries++;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  session.close();
}

await Promise.all(Array.from({ length: clients }, client));
console.log(`ok ${retries}`);
