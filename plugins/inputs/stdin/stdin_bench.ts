/**
 * Measures the stdin input's read/split/JSON path: 1,000,000 lines of about 210 bytes
 * (half Apache access lines, half JSON lines) fed as 64 KiB reads, the size a pipe gives.
 * Run: `deno run plugins/inputs/stdin/stdin_input_bench.ts [lines]`.
 */
import { cpuUsage } from "node:process";
import { defaultsOf } from "../../../src/config/options.ts";
import { testInputContext } from "../../../src/testing/input_context.ts";
import { stdinOptions } from "./options.ts";
import { createStdinInput } from "./stdin.ts";

/** About 210-byte lines, alternating an Apache access line and a JSON line. */
export function benchLines(count: number): Uint8Array {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(7, "0");
    lines.push(
      i % 2 === 0
        ? `192.168.${i % 250}.${
          i % 200
        } - frank [10/Oct/2024:13:55:36 -0700] "GET /api/v1/items/${n}` +
          `?page=3&sort=desc HTTP/1.1" 200 2326 "http://www.example.com/start.html" ` +
          `"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML)"`
        : `{"ts":"2024-10-10T13:55:36.${n.slice(0, 3)}Z","level":"info","service":"checkout",` +
          `"msg":"order placed","order_id":"${n}","user":{"id":${i},"tier":"gold"},` +
          `"latency_ms":${i % 997},"tags":["web","eu-west-1"],"retry":false,"ok":true}`,
    );
  }
  return new TextEncoder().encode(lines.join("\n") + "\n");
}

/** A stream giving `data` in reads of `size` bytes. */
export function streamOf(data: Uint8Array, size = 65_536): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= data.length) return controller.close();
      controller.enqueue(data.slice(at, at + size));
      at += size;
    },
  });
}

if (import.meta.main) {
  const count = Number(Deno.args[0] ?? 1_000_000);
  const data = benchLines(count);
  for (let round = 1; round <= 3; round++) {
    const ctx = testInputContext({ name: "stdin.0" });
    const input = createStdinInput(defaultsOf(stdinOptions), ctx, streamOf(data));
    const started = performance.now();
    const cpuStart = cpuUsage();
    let records = 0, chunks = 0;
    for await (const chunk of input.chunks) {
      records += chunk.records.length;
      chunks++;
    }
    const ms = performance.now() - started;
    const cpu = cpuUsage(cpuStart);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    console.log(
      `round ${round}: ${records} records (${(data.length / 1e6).toFixed(0)} MB) in ${chunks} ` +
        `chunks, ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU (GC threads included), ` +
        `${Math.round(records / (ms / 1000))} lines/s`,
    );
  }
}
