/**
 * Filesystem storage (`storage.type filesystem`): every chunk of a filesystem input is
 * written to `<storage.path>/<input>/` before its input is told it is safe, then goes to
 * its outputs under new acks; the file is deleted once every output is done with it.
 * Each output takes at most `storage.max_chunks_up` chunks into memory; beyond that its
 * chunks wait on disk only and are read back in order, so one slow output never holds
 * back another. Files left by an earlier run are replayed before new data, and
 * `storage.total_limit_size` drops (and dead-letters) an output's oldest chunks.
 */
import { errorMessage } from "../../error_message.ts";
import { Ack } from "../../event/ack.ts";
import { cloneChunk } from "../clone.ts";
import type { Chunk } from "../../event/chunk.ts";
import { replayBacklog, type ReplaySummary } from "./backlog_scan.ts";
import { CORRUPT_DIR, type FilesystemStorageOptions } from "./storage_options.ts";
import type { ChunkHeader } from "./chunk_file.ts";
import { ChunkWriter } from "./chunk_writer.ts";
import { quarantine, readChunkFile } from "./chunk_reader.ts";
import { removeFile, safeName } from "./fs_io.ts";
import { StorageMetrics } from "./storage_metrics.ts";
import { StorageStats } from "./storage_stats.ts";
import {
  enforceLimit,
  OutputQueue,
  type Route,
  type StorageOutput,
  StoredChunk,
} from "./stored_chunk.ts";

export type { ReplaySummary };
export { CORRUPT_DIR, type FilesystemStorageOptions } from "./storage_options.ts";

/** Chunk files of filesystem inputs, and their way to each output. */
export class FilesystemStorage {
  readonly path: string;
  #o: FilesystemStorageOptions;
  #queues = new Map<string, OutputQueue>();
  #routes = new Map<Ack, Route>();
  #writer: ChunkWriter;
  #stats = new StorageStats();
  #ops = new Set<Promise<void>>();
  #waiting = 0;
  #open = 0;
  #stopped = false;
  #idle: (() => void)[] = [];
  #metrics: StorageMetrics;

  constructor(options: FilesystemStorageOptions) {
    this.path = options.path.replace(/\/+$/, "") || "/";
    this.#o = options;
    this.#writer = new ChunkWriter(this.path);
    this.#metrics = new StorageMetrics(options.metrics);
  }

  /**
   * How much of an output's `storage.total_limit_size` is free, in percent (Fluent Bit's
   * `fluentbit_output_chunk_available_capacity_percent`); undefined when it has no limit.
   */
  capacityPercent(output: string): number | undefined {
    const q = this.#queues.get(output);
    const limit = q?.output.limit ?? 0;
    if (!q || limit <= 0) return undefined;
    return Math.max(0, Math.min(100, 100 * (1 - q.queuedBytes / limit)));
  }

  /** Registers an output chunks may be routed to. */
  addOutput(output: StorageOutput): void {
    this.#queues.set(output.name, new OutputQueue(output));
    this.#metrics.addOutput(output.name);
  }

  /** True for a routed chunk whose data is in a chunk file (it survives a shutdown). */
  isPersisted(chunk: Chunk): boolean {
    return this.#routes.has(chunk.ack);
  }

  /** Route-ways not finished (waiting or up), for shutdown progress. */
  get openRoutes(): number {
    return this.#open;
  }

  /** Per input: stored chunks, how many are in memory, and their bytes. */
  get stats(): StorageStats {
    return this.#stats;
  }

  /**
   * Writes `chunk` to its input's directory (fsynced under `storage.sync full`) and hands
   * it on to `outputs`. When this resolves the data is safe: the caller settles the
   * input's ack. Throws when the file cannot be written (the input's ack stays held).
   */
  async persist(chunk: Chunk, outputs: readonly StorageOutput[]): Promise<void> {
    const stored = await this.#writer.write(chunk, {
      routes: outputs.map((o) => o.name),
      checksum: this.#o.checksum,
      sync: this.#o.sync,
    });
    this.#admit(stored, outputs.map((o) => this.#queues.get(o.name)!), chunk);
  }

  /**
   * Queues every chunk file an earlier run left, oldest first, before any input starts.
   * `resolve` picks the outputs of a header (its routes, or by tag when they are gone);
   * unreadable files are moved aside and counted; files no output takes stay on disk.
   */
  async replay(
    resolve: (header: ChunkHeader) => readonly StorageOutput[],
  ): Promise<ReplaySummary> {
    return await replayBacklog(this.path, {
      exclude: [CORRUPT_DIR, ...(this.#o.exclude ?? [])],
      log: this.#o.log,
      quarantine: (path, dir, reason) => this.#quarantine(path, dir, reason),
      admit: (found) => {
        const outputs = resolve(found.header);
        if (outputs.length === 0) return false;
        const stored = new StoredChunk(found.path, found.header, {
          size: found.size,
          backlog: true,
        });
        this.#admit(stored, outputs.map((o) => this.#queues.get(o.name)!));
        return true;
      },
    });
  }

  /** Resolves once no chunk waits on disk for an output (everything is queued in memory). */
  whenAllUp(): Promise<void> {
    if (this.#waiting === 0 || this.#stopped) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Stops loading waiting chunks (shutdown): they stay on disk for the next start. */
  stop(): void {
    this.#stopped = true;
    this.#wakeIdle();
  }

  /** Stops, and waits for file deletions and dead-letter writes in flight. */
  async close(): Promise<void> {
    this.stop();
    while (this.#ops.size > 0) await Promise.allSettled([...this.#ops]);
  }

  #track(op: Promise<void>): void {
    const p = op.catch((e) => this.#o.log.error(`storage: ${errorMessage(e)}`));
    this.#ops.add(p);
    p.finally(() => this.#ops.delete(p));
  }

  #admit(stored: StoredChunk, queues: OutputQueue[], loaded?: Chunk): void {
    this.#stats.of(stored.header.input).chunks++;
    if (loaded) this.#stats.load(stored, loaded);
    for (const queue of queues) {
      const route: Route = { stored, queue, state: "waiting", detached: false };
      stored.routes.push(route);
      stored.open++;
      this.#open++;
      this.#waiting++;
      queue.queued.add(route);
      queue.queuedBytes += stored.size;
    }
    for (const route of stored.routes) {
      const q = route.queue;
      enforceLimit(q, route, (r, c) => this.#drop(r, c), (ack) => this.#routes.get(ack));
      if (loaded && !q.pumping && !q.peekWaiting() && q.up < this.#o.maxChunksUp) {
        this.#up(route, loaded);
      } else {
        q.wait(route);
        void this.#pump(q);
      }
    }
    this.#stats.unload(stored);
  }

  #up(route: Route, chunk: Chunk): void {
    const { stored, queue } = route;
    this.#waiting--;
    route.state = "up";
    queue.up++;
    stored.upRoutes++;
    if (stored.backlog) queue.backlogBytes += stored.size;
    this.#stats.load(stored, chunk);
    const ack = new Ack();
    route.ack = ack;
    this.#routes.set(ack, route);
    ack.done.then(() => this.#routeDone(route));
    const routed = { ...chunk, ack } as Chunk;
    const copy = stored.routes.length > 1 && queue.output.hasProcessors;
    queue.output.enqueue(copy ? cloneChunk(routed) : routed);
    this.#wakeIdle();
  }

  /** Takes a route out of the waiting count, its output's memory slots and size accounting. */
  #release(route: Route): void {
    const { stored, queue } = route;
    if (route.state === "waiting") this.#waiting--;
    if (route.state === "up") {
      queue.up--;
      stored.upRoutes--;
      if (stored.backlog) queue.backlogBytes -= stored.size;
      this.#stats.unload(stored);
    }
    if (!route.detached) {
      route.detached = true;
      queue.queued.delete(route);
      queue.queuedBytes -= stored.size;
    }
  }

  #routeDone(route: Route): void {
    if (route.state === "done") return;
    this.#release(route);
    route.state = "done";
    if (route.ack) this.#routes.delete(route.ack);
    this.#open--;
    const stored = route.stored;
    if (--stored.open === 0) this.#retire(stored);
    this.#wakeIdle();
    void this.#pump(route.queue);
  }

  #retire(stored: StoredChunk): void {
    this.#stats.unload(stored, true);
    this.#stats.of(stored.header.input).chunks--;
    this.#track(removeFile(stored.path));
  }

  #wakeIdle(): void {
    if (this.#waiting > 0 && !this.#stopped) return;
    const idle = this.#idle;
    this.#idle = [];
    for (const w of idle) w();
  }

  async #pump(q: OutputQueue): Promise<void> {
    if (q.pumping || this.#stopped) return;
    q.pumping = true;
    try {
      while (!this.#stopped && q.up < this.#o.maxChunksUp) {
        const route = q.peekWaiting();
        if (!route) break;
        const s = route.stored;
        const budget = this.#o.backlogMemLimit;
        if (s.backlog && !s.loaded && q.backlogBytes > 0 && q.backlogBytes + s.size > budget) break;
        q.nextWaiting();
        const chunk = s.loaded ?? await this.#load(s);
        if (!chunk) continue;
        if (route.state === "waiting" && !this.#stopped) this.#up(route, chunk);
        else if (route.state === "waiting") q.wait(route);
        this.#stats.unload(s);
      }
    } catch (e) {
      this.#o.log.error(`storage: cannot load a chunk for "${q.output.name}": ${String(e)}`);
    } finally {
      q.pumping = false;
    }
  }

  /** Reads a chunk file back; an unreadable one is moved aside and its routes finished. */
  #load(stored: StoredChunk): Promise<Chunk | undefined> {
    stored.loading ??= (async () => {
      try {
        const chunk = await readChunkFile(stored.path);
        this.#stats.load(stored, chunk);
        return chunk;
      } catch (e) {
        await this.#quarantine(stored.path, safeName(stored.header.input), errorMessage(e));
        for (const r of stored.routes) if (r.state === "waiting") this.#routeDone(r);
        return undefined;
      } finally {
        stored.loading = undefined;
      }
    })();
    return stored.loading;
  }

  #quarantine(path: string, dir: string, reason: string): Promise<void> {
    this.#metrics.corrupt(dir);
    return quarantine(path, `${this.path}/${CORRUPT_DIR}`, {
      dir,
      reason,
      remove: this.#o.deleteIrrecoverable,
      log: this.#o.log,
    });
  }

  /** Drops one route for the size limit: counted, dead-lettered when kept, then finished. */
  #drop(route: Route, chunk: Chunk | undefined): void {
    const name = route.queue.output.name;
    const n = chunk?.records.length ?? route.stored.header.records;
    this.#release(route);
    route.state = "dropping";
    this.#metrics.limitDropped(name, n);
    this.#o.log.warn(
      `storage.total_limit_size of "${name}" reached: dropping its oldest chunk of ${n} records`,
    );
    const letters = this.#o.deadLetters;
    this.#track((async () => {
      try {
        if (letters) {
          const c = chunk ?? route.stored.loaded ?? await readChunkFile(route.stored.path);
          await letters.write({ chunk: c, output: name, reason: "storage limit" });
        }
      } finally {
        this.#routeDone(route);
      }
    })());
  }
}
