/**
 * The queue between a push input's connections and its chunk generator. A handler queues
 * the chunks of one request (or message) and waits until the generator has handed them to
 * the engine; only then does it answer success. When full, `offer` refuses at once (an HTTP
 * handler answers 503) and `put` waits for room (a stream connection stops reading, so the
 * sender's TCP window fills). Closing settles every waiting request as refused.
 */
import { type Chunk, CHUNK_MAX_BYTES } from "../event/chunk.ts";

interface Pending {
  chunks: Chunk[];
  bytes: number;
  settle: (accepted: boolean) => void;
}

/** Bounds of the queue: requests and bytes waiting to enter the pipeline. */
export interface IngressLimits {
  /** Most requests waiting. */
  events: number;
  /** Most bytes waiting. */
  bytes: number;
  /**
   * Hand requests that queued up while the engine was busy over as one chunk (same signal,
   * tag and input, one chunk each, up to about {@link CHUNK_MAX_BYTES}): the engine's cost
   * per chunk is paid once for them all, and each is still answered only once its records
   * are handed over. The merged chunk carries the first request's ack; the others' acks
   * settle when it does.
   */
  merge?: boolean;
}

/** Requests decoded and waiting for the engine to pull their chunks. */
export class IngressQueue {
  #items: Pending[] = [];
  #bytes = 0;
  #closed = false;
  #wake: (() => void) | undefined;
  #roomWaiters: (() => void)[] = [];
  #itemWaiters: (() => void)[] = [];
  #limits: IngressLimits;

  /** An empty queue bounded by `limits`. */
  constructor(limits: IngressLimits) {
    this.#limits = limits;
  }

  /** True once closed: offers are refused. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Requests waiting. */
  get length(): number {
    return this.#items.length;
  }

  /**
   * Queues one request's chunks. Resolves true once the last of them was handed to the
   * engine, false when refused later (closing, paused). Returns null when full or closed.
   */
  offer(chunks: Chunk[], bytes: number): Promise<boolean> | null {
    if (this.#closed || this.#full(bytes)) return null;
    return this.#enqueue(chunks, bytes);
  }

  /**
   * Queues one request's chunks once there is room (one request always fits an empty
   * queue); resolves as {@link offer}'s promise, false at once when closed.
   */
  async put(chunks: Chunk[], bytes: number): Promise<boolean> {
    while (!this.#closed && this.#full(bytes)) {
      await new Promise<void>((r) => this.#roomWaiters.push(r));
    }
    if (this.#closed) return false;
    return this.#enqueue(chunks, bytes);
  }

  #full(bytes: number): boolean {
    const { events, bytes: maxBytes } = this.#limits;
    return this.#items.length >= events || (this.#bytes > 0 && this.#bytes + bytes > maxBytes);
  }

  #enqueue(chunks: Chunk[], bytes: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      this.#items.push({ chunks, bytes, settle: resolve });
      this.#bytes += bytes;
      this.#notify();
      for (const wake of this.#itemWaiters.splice(0)) wake();
    });
  }

  /** Resolves once a request waits (at once when one does) or the queue is closed. */
  whenWaiting(): Promise<void> {
    if (this.#items.length > 0 || this.#closed) return Promise.resolve();
    return new Promise((resolve) => this.#itemWaiters.push(resolve));
  }

  /** Refuses every request still waiting (their handlers answer 503); returns how many. */
  refuseWaiting(): number {
    const items = this.#items;
    this.#items = [];
    this.#bytes = 0;
    for (const it of items) it.settle(false);
    this.#makeRoom();
    return items.length;
  }

  /** Refuses what waits and every later offer, and ends {@link take}. Safe to call twice. */
  close(): void {
    this.#closed = true;
    this.refuseWaiting();
    this.#notify();
    for (const wake of this.#itemWaiters.splice(0)) wake();
  }

  #makeRoom(): void {
    for (const wake of this.#roomWaiters.splice(0)) wake();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /**
   * The leading run of mergeable one-chunk requests as one chunk, each settled as handed
   * over (the engine has the chunk once the caller yields it); null when the first request
   * cannot merge with the second.
   */
  #takeMerged(): Chunk | null {
    const items = this.#items;
    const first = items[0]!.chunks;
    const head = first[0];
    if (first.length !== 1 || head === undefined) return null;
    let n = 1;
    let bytes = head.bytes;
    let count = head.records.length;
    for (; n < items.length; n++) {
      const c = items[n]!.chunks;
      const next = c[0];
      if (
        c.length !== 1 || next === undefined || next.signal !== head.signal ||
        next.tag !== head.tag || next.input !== head.input ||
        bytes + next.bytes > CHUNK_MAX_BYTES
      ) break;
      bytes += next.bytes;
      count += next.records.length;
    }
    if (n === 1) return null;
    const taken = items.splice(0, n);
    const records: unknown[] = new Array(count);
    let at = 0;
    for (const it of taken) {
      this.#bytes -= it.bytes;
      for (const r of it.chunks[0]!.records) records[at++] = r;
    }
    this.#makeRoom();
    for (const it of taken) it.settle(true);
    // The merged chunk carries the first request's ack; the others settle with it.
    for (let k = 1; k < taken.length; k++) {
      const ack = taken[k]!.chunks[0]!.ack;
      head.ack.done.then(() => ack.release());
    }
    return { ...head, records, bytes } as Chunk;
  }

  /** Yields queued chunks in order until closed; settles each request as it is handed over. */
  async *take(): AsyncGenerator<Chunk> {
    let current: Pending | undefined;
    try {
      while (true) {
        while (this.#items.length === 0 && !this.#closed) {
          await new Promise<void>((resolve) => (this.#wake = resolve));
        }
        if (this.#closed) return;
        if (this.#limits.merge && this.#items.length > 1) {
          const merged = this.#takeMerged();
          if (merged !== null) {
            yield merged;
            continue;
          }
        }
        current = this.#items.shift()!;
        this.#bytes -= current.bytes;
        this.#makeRoom();
        const { chunks } = current;
        for (let i = 0; i < chunks.length - 1; i++) yield chunks[i]!;
        // The engine has the chunk once this yield hands it over; answer the client now.
        const last = current;
        current = undefined;
        last.settle(true);
        // Callers offer at least one chunk; an empty request yields nothing (not undefined).
        const final = chunks.at(-1);
        if (final !== undefined) yield final;
      }
    } finally {
      // Ended mid-request (the engine stopped pulling): the client is told to retry.
      current?.settle(false);
      this.close();
    }
  }
}
