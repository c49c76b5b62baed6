/** The settings of filesystem storage, from the service section. */
import type { Logger } from "../log.ts";
import type { MetricsRegistry } from "../metrics.ts";
import type { DeadLetterStore } from "./dead_letter.ts";
import type { SyncMode } from "./fs_io.ts";

/** Settings of the storage layer, from the service section. */
export interface FilesystemStorageOptions {
  path: string;
  sync: SyncMode;
  checksum: boolean;
  maxChunksUp: number;
  backlogMemLimit: number;
  /** Delete unreadable chunk files instead of moving them to `<path>/corrupt/`. */
  deleteIrrecoverable: boolean;
  /** Directory names under `path` that hold no chunks (the dead-letter store). */
  exclude?: string[];
  deadLetters?: DeadLetterStore;
  log: Logger;
  metrics: MetricsRegistry;
}

/** The directory unreadable chunk files are moved to, under `storage.path`. */
export const CORRUPT_DIR = "corrupt";
