/**
 * The benchmark input: N lines of about 210 bytes, alternating Apache combined
 * access lines and JSON lines, written once and reused.
 */

const AGENTS = [
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0",
  "curl/8.4.0 (x86_64-pc-linux-gnu) libcurl/8.4.0 OpenSSL/3.0.11 zlib/1.2.13",
];

/** Line `i` of the benchmark file (no newline). */
export function benchLine(i: number): string {
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  if (i % 2 === 0) {
    const agent = AGENTS[(i >> 1) % 2];
    return `${ip} - frank [10/Oct/2023:13:55:36 -0700] "GET /api/v1/items/${i} HTTP/1.1" 200 ${
      2000 + (i % 997)
    } "http://example.com/start.html" "${agent}"`.padEnd(210, " ");
  }
  const body = {
    time: "2023-10-10T13:55:36.123Z",
    level: i % 7 === 0 ? "error" : "info",
    seq: i,
    msg: "request handled by the upstream service without incident",
    path: `/api/v1/items/${i}`,
  };
  const s = JSON.stringify(body);
  return s.slice(0, -1) + `,"pad":"${"x".repeat(Math.max(0, 210 - s.length - 10))}"}`;
}

/** Writes `count` lines to `path` unless a file of that many lines is already there. */
export async function ensureBenchFile(path: string, count: number): Promise<void> {
  const marker = `${path}.${count}.done`;
  try {
    await Deno.stat(marker);
    return;
  } catch {
    // not there yet
  }
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const enc = new TextEncoder();
  const batch: string[] = [];
  for (let i = 0; i < count; i++) {
    batch.push(benchLine(i));
    if (batch.length === 10_000 || i === count - 1) {
      const bytes = enc.encode(batch.join("\n") + "\n");
      let off = 0;
      while (off < bytes.length) off += await file.write(bytes.subarray(off));
      batch.length = 0;
    }
  }
  file.close();
  await Deno.writeTextFile(marker, "");
}

/** How many newline bytes the file at `path` holds. */
export async function countLines(path: string): Promise<number> {
  let n = 0;
  for await (const buf of (await Deno.open(path)).readable) {
    for (let i = 0; i < buf.length; i++) if (buf[i] === 10) n++;
  }
  return n;
}

/** Where the line benchmarks work: the file, its line count, and the output folder. */
export interface BenchInput {
  /** `BENCH_LINES`, 1,000,000 by default. */
  lines: number;
  /** `bench/out/`, created. */
  out: string;
  /** `bench/out/lines.log`, written by {@link ensureBenchFile}. */
  input: string;
}

/** Prepares the {@link BenchInput} the line benchmarks share. */
export async function benchInput(): Promise<BenchInput> {
  const lines = Number(Deno.env.get("BENCH_LINES") ?? 1_000_000);
  const out = new URL("./out", import.meta.url).pathname;
  await Deno.mkdir(out, { recursive: true });
  const input = `${out}/lines.log`;
  await ensureBenchFile(input, lines);
  return { lines, out, input };
}
