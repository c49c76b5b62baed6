/**
 * What `docker_mode` and the old `multiline` mode share: one message held per file,
 * sent at the next message or `flush` seconds after its last line, whichever comes first.
 */
import type { Emit, Joiner } from "./joiner.ts";

/** A held message: the offset of its first line and when it is due. */
export interface HeldMessage {
  start: number;
  deadline: number;
}

/** A joiner holding at most one message per stream, each sent by its deadline. */
export abstract class DeadlineJoiner<M extends HeldMessage> implements Joiner {
  readonly truncated = 0;
  protected readonly pending: Map<string, M> = new Map();
  readonly #flushMs: number;
  readonly #now: () => number;

  constructor(options: { flushSeconds: number; now?: () => number }) {
    this.#flushMs = Math.max(1, options.flushSeconds) * 1000;
    this.#now = options.now ?? (() => performance.now());
  }

  abstract push(...line: Parameters<Joiner["push"]>): void;

  /** Emits a message taken out of `pending`. */
  protected abstract emitMessage(stream: string, message: M, emit: Emit): void;

  /** The deadline of a message held or added to now. */
  protected nextDue(): number {
    return this.#now() + this.#flushMs;
  }

  /** Takes the held message of `stream` out and emits it. */
  protected send(stream: string, message: M, emit: Emit): void {
    this.pending.delete(stream);
    this.emitMessage(stream, message, emit);
  }

  expire(emit: Emit): void {
    const now = this.#now();
    for (const [stream, p] of this.pending) if (p.deadline <= now) this.send(stream, p, emit);
  }

  flush(stream: string, emit: Emit): void {
    const p = this.pending.get(stream);
    if (p) this.send(stream, p, emit);
  }

  heldFrom(stream: string): number | undefined {
    return this.pending.get(stream)?.start;
  }

  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const p of this.pending.values()) {
      if (next === undefined || p.deadline < next) next = p.deadline;
    }
    return next;
  }
}
