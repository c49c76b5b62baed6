/**
 * The bookkeeping of filesystem storage: a stored chunk (one file), its routes (one per
 * output it goes to), and each output's queue of routes in arrival order. A route waits
 * (records on disk only), is up (records in memory, queued at the output under its own
 * ack), or is done (delivered, dead-lettered or dropped). The file goes when every route
 * is done. `enforceLimit` picks the routes `storage.total_limit_size` drops.
 */
import type { Ack } from "../../event/ack.ts";
import type { Chunk } from "../../event/chunk.ts";
import type { ChunkHeader } from "./chunk_file.ts";

/** What storage needs of an output. */
export interface StorageOutput {
  name: string;
  /** Queues a routed chunk (the output runner's `enqueue`). */
  enqueue(chunk: Chunk): void;
  /** Takes a queued chunk back out, unsettled (the output runner's `evict`). */
  evict(ack: Ack): Chunk[] | undefined;
  /** `storage.total_limit_size` in bytes; 0 for no limit. */
  limit: number;
  /** True when the output has processors (a chunk going to several outputs is copied). */
  hasProcessors: boolean;
}

/** Where one stored chunk stands for one output. */
export type RouteState = "waiting" | "up" | "dropping" | "done";

/** One stored chunk's journey to one output. */
export interface Route {
  stored: StoredChunk;
  queue: OutputQueue;
  state: RouteState;
  /** Set while up: the ack the output settles. */
  ack?: Ack;
  /** Out of its output's queue accounting already (dropped for the size limit). */
  detached: boolean;
}

/** One chunk file and what is left to do with it. */
export class StoredChunk {
  readonly path: string;
  readonly header: ChunkHeader;
  /** File size in bytes. */
  readonly size: number;
  /** Replayed from an earlier run (loads count against storage.backlog.mem_limit). */
  readonly backlog: boolean;
  readonly routes: Route[] = [];
  /** Routes not done yet. */
  open = 0;
  /** Routes up now. */
  upRoutes = 0;
  /** The records, while some route is up (or being loaded for one). */
  loaded: Chunk | undefined;
  loading: Promise<Chunk | undefined> | undefined;

  constructor(path: string, header: ChunkHeader, options: { size: number; backlog: boolean }) {
    this.path = path;
    this.header = header;
    this.size = options.size;
    this.backlog = options.backlog;
  }
}

/** One output's routes: all of them in arrival order, and those waiting to go up. */
export class OutputQueue {
  readonly output: StorageOutput;
  /** Routes not done, oldest first (for the size limit). */
  readonly queued = new Set<Route>();
  queuedBytes = 0;
  /** Routes up now. */
  up = 0;
  /** Bytes of replayed chunks loaded for this output (storage.backlog.mem_limit). */
  backlogBytes = 0;
  /** A loader is running for this queue. */
  pumping = false;
  #waiting: Route[] = [];
  #head = 0;

  constructor(output: StorageOutput) {
    this.output = output;
  }

  /** Waiting routes, including ones dropped since (skipped when taken). */
  get waitingCount(): number {
    return this.#waiting.length - this.#head;
  }

  /** Adds a route to the back of the waiting line. */
  wait(route: Route): void {
    this.#waiting.push(route);
  }

  /** The next route still waiting, taken out of the line. */
  nextWaiting(): Route | undefined {
    while (this.#head < this.#waiting.length) {
      const r = this.#waiting[this.#head++]!;
      if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
        this.#waiting = this.#waiting.slice(this.#head);
        this.#head = 0;
      }
      if (r.state === "waiting") return r;
    }
    return undefined;
  }

  /** The next route still waiting, left in the line. */
  peekWaiting(): Route | undefined {
    while (this.#head < this.#waiting.length && this.#waiting[this.#head]!.state !== "waiting") {
      this.#head++;
    }
    return this.#waiting[this.#head];
  }
}

/**
 * Picks the oldest routes of `q` (never `keep`) to drop while it holds more than its
 * `storage.total_limit_size`: waiting ones as they are, up ones when the output can give
 * them back (not while being written). `drop` must take each out of `q`'s accounting.
 */
export function enforceLimit(
  q: OutputQueue,
  keep: Route,
  drop: (route: Route, chunk: Chunk | undefined) => void,
  owner: (ack: Ack) => Route | undefined,
): void {
  const limit = q.output.limit;
  while (limit > 0 && q.queuedBytes > limit) {
    let freed = false;
    for (const r of q.queued) {
      if (r === keep) continue;
      if (r.state === "waiting") {
        drop(r, undefined);
        freed = true;
        break;
      }
      const taken = r.state === "up" && r.ack ? q.output.evict(r.ack) : undefined;
      if (!taken) continue;
      for (const c of taken) {
        const route = owner(c.ack);
        if (route) drop(route, c);
      }
      freed = true;
      break;
    }
    if (!freed) return;
  }
}
