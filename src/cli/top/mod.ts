/**
 * `sluice top`: a terminal view of a running instance, read from its monitoring server's
 * `/api/v2/pipeline` once a second. `q` (or Ctrl-C) quits; the screen follows the terminal's
 * size; no colour when stdout is not a terminal or `NO_COLOR` is set. When the instance goes
 * away it says so and exits 1.
 */
import { errorMessage } from "../../error_message.ts";
import type { PipelineBody } from "../../server/pipeline_view.ts";
import { EXIT_CONFIG, EXIT_OK, EXIT_RUNTIME } from "../../service.ts";
import { renderTop } from "./render.ts";

/** The flags of `sluice top`. */
export interface TopFlags {
  url?: string;
  host?: string;
  port?: string;
  interval?: string;
  once?: boolean;
}

const encoder = new TextEncoder();

/** The monitoring URL the flags name (`--url`, else `-H host` and `-P port`). */
export function topUrl(flags: TopFlags): string {
  if (flags.url) return flags.url.replace(/\/+$/, "");
  const host = flags.host ?? "127.0.0.1";
  return `http://${host.includes(":") ? `[${host}]` : host}:${flags.port ?? "2020"}`;
}

/** A short reason for a failed request: "connection refused" rather than the whole chain. */
function reason(e: unknown): string {
  const chain: string[] = [];
  for (let c: unknown = e; c !== undefined && chain.length < 5; c = (c as Error).cause) {
    chain.push(errorMessage(c));
    if (!(c instanceof Error)) break;
  }
  const m = chain.join(": ");
  if (/refused/i.test(m)) return "connection refused";
  if (/reset|closed|broken pipe|unexpected eof|incomplete/i.test(m)) return "connection closed";
  if (e instanceof DOMException && e.name === "TimeoutError") return "no answer within 3 s";
  if (/dns|lookup|resolve/i.test(m)) return "unknown host";
  return m;
}

/** Reads one body; throws an Error with a short reason. */
async function fetchBody(url: string): Promise<PipelineBody> {
  let res: Response;
  try {
    res = await fetch(`${url}/api/v2/pipeline`, { signal: AbortSignal.timeout(3000) });
  } catch (e) {
    throw new Error(reason(e));
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`GET /api/v2/pipeline answered ${res.status} (is this a sluice instance?)`);
  }
  try {
    return await res.json() as PipelineBody;
  } catch (e) {
    throw new Error(`unreadable answer: ${reason(e)}`);
  }
}

function terminalSize(): { width: number; height: number } {
  try {
    const { columns, rows } = Deno.consoleSize();
    if (columns > 0 && rows > 0) return { width: columns, height: rows };
  } catch {
    // not a terminal
  }
  const env = (k: string) => Number(Deno.env.get(k) ?? "");
  return { width: env("COLUMNS") || 80, height: env("LINES") || 24 };
}

/** Something that ends the wait for the next refresh. */
type Wake = "tick" | "quit" | "resize";

/** Runs `sluice top`; returns the exit code. */
export async function runTop(flags: TopFlags): Promise<number> {
  const url = topUrl(flags);
  const interval = flags.interval === undefined ? 1 : Number(flags.interval);
  if (!(interval > 0)) {
    console.error(
      `sluice top: --interval must be a number of seconds above 0, got "${flags.interval}"`,
    );
    return EXIT_CONFIG;
  }
  const fail = (what: string, e: unknown) => {
    Deno.stderr.writeSync(encoder.encode(`sluice top: ${what} ${url}: ${errorMessage(e)}\n`));
    return EXIT_RUNTIME;
  };
  let prev: PipelineBody | undefined;
  let body: PipelineBody;
  try {
    body = await fetchBody(url);
  } catch (e) {
    return fail(
      "cannot reach the monitoring server (run sluice with -H or http_server on) at",
      e,
    );
  }
  const tty = Deno.stdout.isTerminal();
  const color = tty && !Deno.env.get("NO_COLOR");
  const screen = new Screen(tty && !flags.once, Deno.stdin.isTerminal() && !flags.once);
  /** Reads the next body; the exit code when the instance went away. */
  const refresh = async (): Promise<number | undefined> => {
    try {
      const next = await fetchBody(url);
      prev = body;
      body = next;
      return undefined;
    } catch (e) {
      screen.stop(); // the message goes to the main screen
      return fail("lost the instance at", e);
    }
  };
  try {
    if (flags.once) {
      // Rates need two readings.
      await new Promise((r) => setTimeout(r, interval * 1000));
      const lost = await refresh();
      if (lost !== undefined) return lost;
      screen.draw(renderTop(body, prev, { ...terminalSize(), color, url }));
      return EXIT_OK;
    }
    screen.start();
    for (;;) {
      screen.draw(renderTop(body, prev, { ...terminalSize(), color, url }));
      const wake = await screen.wait(interval * 1000);
      if (wake === "quit") return EXIT_OK;
      if (wake === "resize") continue;
      const lost = await refresh();
      if (lost !== undefined) return lost;
    }
  } finally {
    screen.stop();
  }
}

/** The terminal while top runs: the alternate screen, raw keys and resize events. */
class Screen {
  #fullScreen: boolean;
  #keys: boolean;
  #started = false;
  #stopped = false;
  #wake: ((w: Wake) => void) | undefined;
  #quit = false;
  #onResize = () => this.#wake?.("resize");
  #onSignal = () => {
    this.#quit = true;
    this.#wake?.("quit");
  };

  constructor(fullScreen: boolean, keys: boolean) {
    this.#fullScreen = fullScreen;
    this.#keys = keys;
  }

  start(): void {
    this.#started = true;
    if (this.#fullScreen) this.#write("\x1b[?1049h\x1b[?25l");
    if (this.#keys) {
      Deno.stdin.setRaw(true);
      this.#readKeys();
    }
    try {
      Deno.addSignalListener("SIGWINCH", this.#onResize);
    } catch {
      // no such signal here
    }
    Deno.addSignalListener("SIGINT", this.#onSignal);
    Deno.addSignalListener("SIGTERM", this.#onSignal);
  }

  /** Restores the terminal; safe to call twice. */
  stop(): void {
    if (!this.#started || this.#stopped) return;
    this.#stopped = true;
    try {
      Deno.removeSignalListener("SIGWINCH", this.#onResize);
    } catch {
      // never added
    }
    Deno.removeSignalListener("SIGINT", this.#onSignal);
    Deno.removeSignalListener("SIGTERM", this.#onSignal);
    if (this.#keys) Deno.stdin.setRaw(false);
    if (this.#fullScreen) this.#write("\x1b[?25h\x1b[?1049l");
  }

  /** Writes one frame: in place on a terminal, as a block of lines otherwise. */
  draw(lines: string[]): void {
    if (this.#fullScreen) {
      this.#write(`\x1b[H${lines.map((l) => `${l}\x1b[K`).join("\r\n")}\x1b[J`);
    } else {
      this.#write(`${lines.join("\n")}\n\n`);
    }
  }

  /** Waits `ms`, or less when a key quits or the terminal is resized. */
  wait(ms: number): Promise<Wake> {
    if (this.#quit) return Promise.resolve("quit");
    return new Promise((resolve) => {
      const timer = setTimeout(() => done("tick"), ms);
      const done = (w: Wake) => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve(w);
      };
      this.#wake = done;
    });
  }

  async #readKeys(): Promise<void> {
    const buf = new Uint8Array(64);
    while (!this.#stopped) {
      let n: number | null;
      try {
        n = await Deno.stdin.read(buf);
      } catch {
        return;
      }
      if (n === null) return;
      for (const b of buf.subarray(0, n)) {
        // q, Q, Ctrl-C, Ctrl-D
        if (b === 0x71 || b === 0x51 || b === 0x03 || b === 0x04) {
          this.#quit = true;
          this.#wake?.("quit");
          return;
        }
      }
    }
  }

  #write(text: string): void {
    const data = encoder.encode(text);
    let off = 0;
    while (off < data.length) off += Deno.stdout.writeSync(data.subarray(off));
  }
}
