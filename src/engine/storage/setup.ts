/**
 * The storage layer of a config: which inputs buffer on disk, the filesystem storage
 * under `storage.path`, and the dead-letter store (`storage.keep.rejected`). Cross-key
 * mistakes (filesystem without a path) are config problems, reported with the rest.
 */
import type { CommonInputValues, ServiceValues } from "../../config/common_options.ts";
import type { ConfigProblem, Pos } from "../../config/model.ts";
import type { PipelineConfig } from "../../config/resolved.ts";
import type { Logger } from "../log.ts";
import type { MetricsRegistry } from "../metrics.ts";
import { DeadLetterStore } from "./dead_letter.ts";
import { FilesystemStorage } from "./filesystem_storage.ts";
import type { SyncMode } from "./fs_io.ts";

/** How an input buffers its chunks. */
export type StorageType = "memory" | "filesystem";

/** What `setupStorage` made. */
export interface StorageSetup {
  storage?: FilesystemStorage;
  deadLetters?: DeadLetterStore;
}

/**
 * An input's storage type: its own `storage.type`, else the service's when
 * `storage.inherit` is on, else memory. `memrb` is buffered as memory.
 */
export function inputStorageType(service: ServiceValues, common: CommonInputValues): StorageType {
  const own = common["storage.type"] ??
    (service["storage.inherit"] ? service["storage.type"] : undefined);
  return own === "filesystem" ? "filesystem" : "memory";
}

/** Where dead letters go: `storage.rejected.path` under `storage.path` (unless absolute). */
export function deadLetterDir(service: ServiceValues): string | undefined {
  const root = service["storage.path"];
  const sub = service["storage.rejected.path"] || "rejected";
  if (sub.startsWith("/")) return sub;
  return root === undefined ? undefined : `${root.replace(/\/+$/, "")}/${sub}`;
}

/**
 * Creates the storage layer of `config` (nothing touches the disk until it runs); pushes
 * a problem for every filesystem input, or dead-letter store, without `storage.path`.
 */
export function setupStorage(
  config: PipelineConfig,
  deps: { log: Logger; metrics: MetricsRegistry; problems: ConfigProblem[] },
): StorageSetup {
  const service = config.service;
  const root = service["storage.path"];
  const servicePos: Pos = { file: config.file, line: 1, col: 1 };
  const log = deps.log.child("storage");
  if (root === undefined) {
    for (const i of config.inputs) {
      if (inputStorageType(service, i.common) !== "filesystem") continue;
      deps.problems.push({
        pos: i.pos,
        key: "storage.type",
        message: `input "${i.name}" buffers on the filesystem, but service storage.path is not set`,
      });
    }
  }
  let deadLetters: DeadLetterStore | undefined;
  if (service["storage.keep.rejected"]) {
    const dir = deadLetterDir(service);
    if (dir === undefined) {
      deps.problems.push({
        pos: servicePos,
        key: "storage.keep.rejected",
        message: "the dead-letter store needs service storage.path (or an absolute " +
          "storage.rejected.path)",
      });
    } else {
      deadLetters = new DeadLetterStore({
        dir,
        limit: service["storage.rejected.limit"],
        log: deps.log.child("dead_letter"),
        metrics: deps.metrics,
      });
    }
  }
  if (root === undefined) return { deadLetters };
  const rejected = service["storage.rejected.path"] || "rejected";
  const storage = new FilesystemStorage({
    path: root,
    sync: service["storage.sync"] as SyncMode,
    checksum: service["storage.checksum"],
    maxChunksUp: Math.max(1, service["storage.max_chunks_up"]),
    backlogMemLimit: service["storage.backlog.mem_limit"],
    deleteIrrecoverable: service["storage.delete_irrecoverable_chunks"],
    exclude: rejected.startsWith("/") ? [] : [rejected.split("/")[0]!],
    deadLetters,
    log,
    metrics: deps.metrics,
  });
  return { storage, deadLetters };
}
