/**
 * The engine's side of filesystem storage: a chunk of a filesystem input goes to disk
 * before its outputs (then its input may commit its position), and the chunk files an
 * earlier run left are replayed to the outputs they were routed to before any input
 * starts. A chunk the disk refuses goes on in memory under its input's own ack, so
 * nothing is lost either way.
 */
import { errorMessage } from "../../error_message.ts";
import type { Chunk } from "../../event/chunk.ts";
import type { Logger } from "../log.ts";
import type { Metric, MetricsRegistry } from "../metrics.ts";
import type { Router, RouteSource, RouteTarget } from "../router.ts";
import type { FilesystemStorage, ReplaySummary } from "./filesystem_storage.ts";
import type { StorageOutput } from "./stored_chunk.ts";

/** An output as persisting sees it: a route target with its storage side. */
export interface StoredTarget extends RouteTarget {
  storage: StorageOutput;
}

/** Persists filesystem inputs' chunks and replays what an earlier run left. */
export class Persister {
  #storage: FilesystemStorage | undefined;
  #router: Router<StoredTarget>;
  #log: Logger;
  #writeErrors: Metric;
  #replayed = false;

  constructor(
    storage: FilesystemStorage | undefined,
    deps: { router: Router<StoredTarget>; log: Logger; metrics: MetricsRegistry },
  ) {
    this.#storage = storage;
    this.#router = deps.router;
    this.#log = deps.log;
    this.#writeErrors = deps.metrics.counter(
      "sluice_storage_write_errors_total",
      "Chunks of filesystem inputs that could not be written to disk and went on in memory.",
    );
  }

  /** True when chunks of an input buffered in `storageType` go through the disk. */
  persists(storageType: string): boolean {
    return storageType === "filesystem" && this.#storage !== undefined;
  }

  /** Queues the chunk files an earlier run left (once; before any input starts). */
  async replay(): Promise<ReplaySummary | undefined> {
    const storage = this.#storage;
    if (!storage || this.#replayed) return undefined;
    this.#replayed = true;
    try {
      return await storage.replay((h) => this.#router.storedTargets(h).map((o) => o.storage));
    } catch (e) {
      this.#log.error(`cannot replay ${storage.path}: ${errorMessage(e)}`);
      return undefined;
    }
  }

  /**
   * A filesystem input's chunk: on disk first, then to its outputs under storage's acks;
   * if the disk refuses it, to its outputs from memory under the input's own ack.
   */
  async persist(chunk: Chunk, from: RouteSource): Promise<void> {
    const storage = this.#storage;
    if (!storage) return this.#router.route(chunk, from);
    const targets = this.#router.targetsFrom(chunk, from);
    if (targets.length === 0) return this.#router.discard(chunk, from);
    this.#router.countRouted(chunk, from, targets);
    try {
      await storage.persist(chunk, targets.map((t) => t.storage));
    } catch (e) {
      this.#writeErrors.inc({ name: from.name });
      this.#log.once(
        "error",
        `storage:${from.name}`,
        `cannot write a chunk of ${from.name} to storage, delivering from memory: ${
          errorMessage(e)
        }`,
      );
      this.#router.fanOut(chunk, targets);
      return;
    }
    chunk.ack.release();
  }
}
