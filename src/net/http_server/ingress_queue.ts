/**
 * The queue between the HTTP handlers and the input's chunk generator. A handler offers
 * the chunks of one request and waits until the generator has handed them to the engine;
 * only then does it answer success. A full queue refuses at once (the handler answers 503),
 * and closing settles every waiting request as refused, so no client is left hanging.
 */
import type { Chunk } from "../../event/chunk.ts";

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
}

/** Requests decoded and waiting for the engine to pull their chunks. */
export class IngressQueue {
  #items: Pending[] = [];
  #bytes = 0;
  #closed = false;
  #wake: (() => void) | undefined;
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
    if (this.#closed) return null;
    const { events, bytes: maxBytes } = this.#limits;
    if (this.#items.length >= events || (this.#bytes > 0 && this.#bytes + bytes > maxBytes)) {
      return null;
    }
    return new Promise<boolean>((resolve) => {
      this.#items.push({ chunks, bytes, settle: resolve });
      this.#bytes += bytes;
      this.#notify();
    });
  }

  /** Refuses every request still waiting (their handlers answer 503); returns how many. */
  refuseWaiting(): number {
    const items = this.#items;
    this.#items = [];
    this.#bytes = 0;
    for (const it of items) it.settle(false);
    return items.length;
  }

  /** Refuses what waits and every later offer, and ends {@link take}. Safe to call twice. */
  close(): void {
    this.#closed = true;
    this.refuseWaiting();
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
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
        current = this.#items.shift()!;
        this.#bytes -= current.bytes;
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
