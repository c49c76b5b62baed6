/**
 * What a built pipeline is made of: the instances `buildPipeline` creates and the
 * running `Pipeline` drives, with what routing, buffering and storage need of each.
 */
import type { Signal } from "../event/chunk.ts";
import type { BufferLimit } from "./buffer_limit.ts";
import type { OutputRunner } from "./output_runner.ts";
import type { InputInstance, Stage } from "../plugin.ts";
import type { RouteTarget, TagMatcher } from "./router.ts";
import type { DeadLetterStore } from "./storage/dead_letter.ts";
import type { FilesystemStorage } from "./storage/filesystem_storage.ts";
import type { StorageType } from "./storage/setup.ts";
import type { StorageOutput } from "./storage/stored_chunk.ts";

/** A built input with its processors, buffer limit and stop switch. */
export interface BuiltInput {
  name: string;
  instance: InputInstance;
  processors: Stage;
  limit: BufferLimit;
  abort: AbortController;
  routable: boolean;
  /** Where its chunks are buffered until delivered. */
  storageType: StorageType;
  /** An emitter input (`emitter.ts`): it ends after every other input has. */
  emitter?: boolean;
}

/** A built filter: its stage, tag matching and counters included. */
export interface BuiltFilter {
  name: string;
  stage: Stage;
}

/** A built output with its runner. */
export interface BuiltOutput extends RouteTarget {
  name: string;
  runner: OutputRunner;
  matcher: TagMatcher;
  signals: readonly Signal[];
  hasProcessors: boolean;
  /** The output as filesystem storage sees it. */
  storage: StorageOutput;
}

/** Everything `buildPipeline` creates. */
export interface BuiltPipeline {
  inputs: BuiltInput[];
  filters: BuiltFilter[];
  outputs: BuiltOutput[];
  closers: (() => Promise<void>)[];
  /** Filesystem storage, when `storage.path` is set. */
  storage?: FilesystemStorage;
  /** The dead-letter store, when `storage.keep.rejected` is on. */
  deadLetters?: DeadLetterStore;
  /** The emitter inputs' hub: told when every other input has ended. */
  emitters?: { close(): void };
}
