/**
 * One run of the exec command: `/bin/sh -c command` in a process group of its own (so a
 * stop reaches the shell's children too), stdout piped for the records, stderr kept (its
 * last lines) for the log line that reports the exit code.
 */

/** Stderr lines kept per run, and the longest kept line. */
const STDERR_LINES = 20;
const STDERR_LINE_CHARS = 500;
/** How long a stopped command has between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 2000;

/** A running command. */
export class CommandRun {
  readonly child: Deno.ChildProcess;
  readonly stdout: ReadableStreamDefaultReader<Uint8Array>;
  /** The last stderr lines (at most 20), complete once `stderrDone` resolves. */
  readonly stderr: string[] = [];
  /** Stderr lines beyond the ones kept. */
  droppedStderr = 0;
  readonly stderrDone: Promise<void>;
  #exited = false;

  constructor(command: string) {
    this.child = new Deno.Command("/bin/sh", {
      args: ["-c", command],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      detached: true,
    }).spawn();
    this.child.status.then(() => (this.#exited = true));
    this.stdout = this.child.stdout.getReader();
    this.stderrDone = this.#readStderr();
  }

  /** True once the shell has exited. */
  get exited(): boolean {
    return this.#exited;
  }

  async #readStderr(): Promise<void> {
    let rest = "";
    const keep = (line: string) => {
      this.stderr.push(
        line.length > STDERR_LINE_CHARS ? `${line.slice(0, STDERR_LINE_CHARS)}...` : line,
      );
      if (this.stderr.length > STDERR_LINES) {
        this.stderr.shift();
        this.droppedStderr++;
      }
    };
    try {
      for await (const text of this.child.stderr.pipeThrough(new TextDecoderStream())) {
        const lines = (rest + text).split("\n");
        rest = lines.pop() ?? "";
        lines.forEach(keep);
        if (rest.length > STDERR_LINE_CHARS * 4) rest = rest.slice(0, STDERR_LINE_CHARS * 4);
      }
    } catch {
      // the process went away
    }
    if (rest) keep(rest);
  }

  /** Stops the command's process group: SIGTERM, then SIGKILL after a grace period. */
  async stop(): Promise<void> {
    const signalGroup = (sig: Deno.Signal) => {
      try {
        Deno.kill(-this.child.pid, sig);
      } catch {
        // the group is gone
      }
    };
    if (!this.#exited) signalGroup("SIGTERM");
    const timer = setTimeout(() => signalGroup("SIGKILL"), KILL_GRACE_MS);
    try {
      await this.child.status;
    } finally {
      clearTimeout(timer);
    }
    // Children of the shell may still hold the pipes: the group is signalled, don't wait.
    await this.stdout.cancel().catch(() => {});
  }
}
