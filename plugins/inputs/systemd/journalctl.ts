/**
 * The journalctl child: `journalctl -o export --follow` on the configured journal, from
 * the head, the tail or after a cursor, with the filter's matches. Its stdout is the
 * export stream; its stderr lines are kept for the log.
 */

/** Where the export stream starts. */
export type StartAt = { after: string } | "head" | "tail";

/** What journalctl is run with. */
export interface JournalctlOptions {
  /** The journalctl executable (found on PATH by default). */
  command: string;
  /** A journal directory; the local journal when undefined. */
  path: string | undefined;
  /** The match arguments (see `filter.ts`). */
  matches: readonly string[];
}

/**
 * The arguments of one journalctl run.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const args = journalctlArgs({ command: "journalctl", path: "/j", matches: ["A=1"] }, "tail");
 * assertEquals(args.slice(-3), ["--directory=/j", "--lines=0", "A=1"]);
 * ```
 */
export function journalctlArgs(options: JournalctlOptions, start: StartAt): string[] {
  // --merge: without it, --follow keeps to the journal's latest boot (systemd 252), so
  // entries of earlier boots (and an empty journal) would be skipped.
  const args = ["--output=export", "--follow", "--merge", "--no-pager", "--quiet"];
  if (options.path !== undefined) args.push(`--directory=${options.path}`);
  if (start === "tail") args.push("--lines=0");
  else if (start === "head") args.push("--no-tail");
  else args.push("--no-tail", `--after-cursor=${start.after}`);
  args.push(...options.matches);
  return args;
}

/** The first `name` executable on PATH, or undefined. */
export function findOnPath(name: string): string | undefined {
  if (name.includes("/")) return name;
  for (const dir of (Deno.env.get("PATH") ?? "/usr/bin:/bin").split(":")) {
    if (!dir) continue;
    try {
      const st = Deno.statSync(`${dir}/${name}`);
      if (st.isFile && ((st.mode ?? 0o111) & 0o111) !== 0) return `${dir}/${name}`;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** A running journalctl. */
export class Journalctl {
  readonly child: Deno.ChildProcess;
  readonly stdout: ReadableStreamDefaultReader<Uint8Array>;
  /** Its last stderr lines (at most 20). */
  readonly errors: string[] = [];
  /** Resolves when stderr has been read to its end. */
  readonly stderrDone: Promise<void>;

  constructor(options: JournalctlOptions, start: StartAt, onError: (line: string) => void) {
    this.child = new Deno.Command(options.command, {
      args: journalctlArgs(options, start),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: { SYSTEMD_COLORS: "0", SYSTEMD_PAGER: "" },
    }).spawn();
    this.stdout = this.child.stdout.getReader();
    this.stderrDone = this.#readErrors(onError);
  }

  async #readErrors(onError: (line: string) => void): Promise<void> {
    let rest = "";
    const push = (line: string) => {
      if (!line) return;
      this.errors.push(line);
      if (this.errors.length > 20) this.errors.shift();
      onError(line);
    };
    try {
      for await (const text of this.child.stderr.pipeThrough(new TextDecoderStream())) {
        const lines = (rest + text).split("\n");
        rest = lines.pop() ?? "";
        lines.forEach(push);
      }
    } catch {
      // the process went away
    }
    push(rest);
  }

  /** Stops journalctl and waits for it; safe to call twice. */
  async stop(): Promise<Deno.CommandStatus> {
    try {
      this.child.kill("SIGTERM");
    } catch {
      // already exited
    }
    await this.stdout.cancel().catch(() => {});
    const status = await this.child.status;
    await this.stderrDone;
    return status;
  }
}
