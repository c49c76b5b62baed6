/**
 * Headless Chromium (the system's `chromium`) driven over the DevTools protocol with a plain
 * WebSocket: open a page, evaluate expressions in it, watch its requests, take a screenshot.
 * No npm browser driver: the protocol's few calls a test needs are here.
 */
import { until } from "./until.ts";

/** The system Chromium, or undefined when it is not installed. */
export function chromiumPath(): string | undefined {
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    try {
      if (Deno.statSync(p).isFile) return p;
    } catch {
      // not there
    }
  }
  return undefined;
}

interface Pending {
  resolve: (v: Record<string, unknown>) => void;
  reject: (e: Error) => void;
}

/** A running browser with one page. */
export class Browser {
  readonly #child: Deno.ChildProcess;
  readonly #dir: string;
  readonly #ws: WebSocket;
  #id = 0;
  readonly #pending = new Map<number, Pending>();
  /** URLs of every request the page made. */
  readonly requests: string[] = [];

  private constructor(child: Deno.ChildProcess, dir: string, ws: WebSocket) {
    this.#child = child;
    this.#dir = dir;
    this.#ws = ws;
    ws.onmessage = (ev) => {
      const msg = JSON.parse(String(ev.data));
      if (typeof msg.id === "number") {
        const p = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(`${msg.error.message} (${msg.error.code})`));
        else p?.resolve(msg.result ?? {});
      } else if (msg.method === "Network.requestWillBeSent") {
        this.requests.push(msg.params.request.url);
      }
    };
  }

  /** Starts Chromium headless with a fresh profile and attaches to its first page. */
  static async launch(path: string, size = { width: 1200, height: 900 }): Promise<Browser> {
    const dir = await Deno.makeTempDir({ prefix: "sluice_chromium_" });
    const child = new Deno.Command(path, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        `--user-data-dir=${dir}`,
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        `--window-size=${size.width},${size.height}`,
        "about:blank",
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      const port = await devToolsPort(dir);
      const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json() as Array<
        { type: string; webSocketDebuggerUrl: string }
      >;
      const page = targets.find((t) => t.type === "page");
      if (!page) throw new Error("Chromium opened no page");
      const ws = new WebSocket(page.webSocketDebuggerUrl);
      await new Promise<void>((resolve, reject) => {
        ws.onopen = () => resolve();
        ws.onerror = () => reject(new Error("cannot connect to Chromium's DevTools"));
      });
      const browser = new Browser(child, dir, ws);
      await browser.send("Network.enable");
      await browser.send("Page.enable");
      return browser;
    } catch (e) {
      child.kill("SIGKILL");
      await child.status;
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      throw e;
    }
  }

  /** Sends one DevTools command and returns its result. */
  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = ++this.#id;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Loads `url` in the page. */
  async goto(url: string): Promise<void> {
    const r = await this.send("Page.navigate", { url });
    if (r.errorText) throw new Error(`cannot load ${url}: ${r.errorText}`);
  }

  /** The value of `expression` evaluated in the page (promises awaited). */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.send("Runtime.evaluate", {
      expression,
      returnByValue: true,
      awaitPromise: true,
    }) as { result?: { value?: T }; exceptionDetails?: { text: string } };
    if (r.exceptionDetails) throw new Error(`page threw: ${r.exceptionDetails.text}`);
    return r.result?.value as T;
  }

  /** A PNG of the whole page. */
  async screenshot(): Promise<Uint8Array> {
    const r = await this.send("Page.captureScreenshot", {
      format: "png",
      captureBeyondViewport: true,
    }) as { data: string };
    return Uint8Array.from(atob(r.data), (c) => c.charCodeAt(0));
  }

  /** Stops the browser and removes its profile. */
  async close(): Promise<void> {
    try {
      this.#ws.close();
    } catch {
      // already closed
    }
    try {
      this.#child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await this.#child.status;
    await Deno.remove(this.#dir, { recursive: true }).catch(() => {});
  }
}

/** The port Chromium writes to `DevToolsActivePort` in its profile once it listens. */
function devToolsPort(dir: string): Promise<number> {
  return until(
    async () => {
      try {
        const port = Number((await Deno.readTextFile(`${dir}/DevToolsActivePort`)).split("\n")[0]);
        return port > 0 ? port : undefined;
      } catch {
        return undefined; // not written yet
      }
    },
    "Chromium to open its DevTools port",
    { timeout: 30_000, interval: 50 },
  );
}
