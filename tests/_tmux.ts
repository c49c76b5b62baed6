/**
 * A private tmux server for tests that drive a terminal program as a person would: start it
 * in a pane of a given size, type keys, read the screen with `capture-pane`, resize.
 */

/** True when tmux is installed. */
export function hasTmux(): boolean {
  try {
    return new Deno.Command("tmux", { args: ["-V"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/** One tmux server with its own socket, and one session in it. */
export class Tmux {
  readonly socket: string;
  readonly session = "t";
  readonly #statusFile: string;

  /** A server on `socket`; the program's exit status is written beside it. */
  constructor(socket: string) {
    this.socket = socket;
    this.#statusFile = `${socket}.status`;
  }

  /** Runs a tmux command; throws with its stderr when it fails. */
  async run(...args: string[]): Promise<string> {
    const out = await new Deno.Command("tmux", {
      args: ["-S", this.socket, "-f", "/dev/null", ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    if (!out.success) throw new Error(`tmux ${args[0]}: ${dec.decode(out.stderr).trim()}`);
    return dec.decode(out.stdout);
  }

  /** Starts `command` (a shell line) in a `width`×`height` pane that stays after it exits. */
  async start(
    command: string,
    options: { width: number; height: number; env?: Record<string, string> },
  ): Promise<void> {
    const env = Object.entries(options.env ?? {}).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
    // Chained in one call, the options are set before the program can exit.
    await this.run(
      "new-session",
      "-d",
      "-s",
      this.session,
      "-x",
      String(options.width),
      "-y",
      String(options.height),
      ...env,
      `${command}; echo $? > ${this.#statusFile}`,
      ";",
      "set-option",
      "-g",
      "remain-on-exit",
      "on",
      ";",
      "set-option",
      "-g",
      "window-size",
      "manual",
    );
  }

  /** The screen as text (`escapes`: with colour codes; `history`: with what scrolled off). */
  capture(escapes = false, history = false): Promise<string> {
    const flags = [...(escapes ? ["-e"] : []), ...(history ? ["-S", "-"] : [])];
    return this.run("capture-pane", "-p", ...flags, "-t", this.session);
  }

  /** Types keys (tmux key names or text). */
  async keys(...keys: string[]): Promise<void> {
    await this.run("send-keys", "-t", this.session, ...keys);
  }

  /** Resizes the window. */
  async resize(width: number, height: number): Promise<void> {
    await this.run("resize-window", "-t", this.session, "-x", String(width), "-y", String(height));
  }

  /** `{ status }` once the program has exited (its shell wrote the status file), else undefined. */
  async exited(): Promise<{ status: number } | undefined> {
    try {
      const text = await Deno.readTextFile(this.#statusFile);
      return text.endsWith("\n") ? { status: Number(text.trim()) } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stops the tmux server. */
  async kill(): Promise<void> {
    await this.run("kill-server").catch(() => {});
  }
}
