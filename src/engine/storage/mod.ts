/**
 * The storage layer: filesystem buffering of chunks, the dead-letter store, and their
 * reports.
 *
 * @module
 */
export { FilesystemStorage, type ReplaySummary } from "./filesystem_storage.ts";
export {
  type DeadLetterEntry,
  type DeadLetterHeader,
  DeadLetterStore,
  listDeadLetters,
  readDeadLetter,
} from "./dead_letter.ts";
export { type InputBufferStats, storageReport, updateStorageGauges } from "./storage_report.ts";
export { deadLetterDir, inputStorageType, setupStorage, type StorageType } from "./setup.ts";
export type { StorageOutput } from "./stored_chunk.ts";
