/**
 * Wake-ups for the tail input. File system events (`Deno.watchFs` on the directories of
 * the watched files) are taken only as hints that something changed: events are lost
 * under load and a watch on a file does not survive its rotation, so the input also
 * stats every file periodically. A wait ends at the first event, at its timeout, or
 * when the input is stopped.
 */
import { errorMessage } from "../../../src/error_message.ts";

/** What happened since the last `take()`. */
export interface Changes {
  /** Paths that were written to. */
  modified: Set<string>;
  /** True when a file was created, renamed or removed: time to rescan and check. */
  structural: boolean;
}

/** Coalesces file system events into wake-ups. */
export class Wakeup {
  #enabled: boolean;
  #dirs = new Set<string>();
  #watcher: Deno.FsWatcher | null = null;
  #modified = new Set<string>();
  #structural = false;
  #wake: (() => void) | null = null;
  #closed = false;
  #onError: (message: string) => void;

  constructor(enabled: boolean, onError: (message: string) => void) {
    this.#enabled = enabled;
    this.#onError = onError;
  }

  /** True when events arrived since the last `take()`. */
  get pending(): boolean {
    return this.#structural || this.#modified.size > 0;
  }

  /** Watches exactly `dirs` (restarting the watch when the set changed). */
  watch(dirs: Iterable<string>): void {
    if (!this.#enabled || this.#closed) return;
    const next = new Set(dirs);
    if (next.size === this.#dirs.size && [...next].every((d) => this.#dirs.has(d))) return;
    this.#watcher?.close();
    this.#watcher = null;
    this.#dirs = next;
    const existing: string[] = [];
    for (const d of next) {
      try {
        if (Deno.statSync(d).isDirectory) existing.push(d);
      } catch {
        // Not there (yet): the periodic rescan covers it.
      }
    }
    // A directory that does not exist yet is tried again at the next call.
    if (existing.length < next.size) this.#dirs = new Set(existing);
    if (existing.length === 0) return;
    try {
      const watcher = Deno.watchFs(existing, { recursive: false });
      this.#watcher = watcher;
      this.#pump(watcher);
    } catch (e) {
      this.#onError(`cannot watch ${existing.join(", ")}: ${errorMessage(e)}`);
    }
  }

  /** Returns and clears what happened since the last call. */
  take(): Changes {
    const changes = { modified: this.#modified, structural: this.#structural };
    this.#modified = new Set();
    this.#structural = false;
    return changes;
  }

  /**
   * Resolves at the next event (at once if one is pending), after `ms`, or on abort; true
   * when an event ended the wait.
   */
  wait(ms: number, signal: AbortSignal): Promise<boolean> {
    if (this.pending) return Promise.resolve(true);
    if (signal.aborted || ms <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      let byEvent = false;
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        this.#wake = null;
        resolve(byEvent);
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
      this.#wake = () => {
        byEvent = true;
        done();
      };
    });
  }

  /** Resolves after `ms` or on abort, whatever events arrive meanwhile (they are kept). */
  settle(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  /** Stops watching; safe to call twice. */
  close(): void {
    this.#closed = true;
    this.#watcher?.close();
    this.#watcher = null;
    this.#wake?.();
  }

  async #pump(watcher: Deno.FsWatcher): Promise<void> {
    try {
      for await (const event of watcher) {
        if (event.kind === "access") continue;
        if (event.kind === "modify") { for (const p of event.paths) this.#modified.add(p); }
        else this.#structural = true;
        this.#wake?.();
      }
    } catch (e) {
      if (!this.#closed && this.#watcher === watcher) {
        this.#onError(`file watch stopped: ${errorMessage(e)}`);
      }
    }
  }
}
