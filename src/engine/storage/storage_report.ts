/**
 * The storage layer as Fluent Bit reports it: the `/api/v1/storage` body and the
 * `fluentbit_input_storage_*` / `fluentbit_storage_*` gauges, for memory and
 * filesystem inputs alike.
 */
import type { MetricsRegistry } from "../metrics.ts";
import type { FilesystemStorage } from "./filesystem_storage.ts";

/** One input's buffering, as the engine sees it. */
export interface InputBufferStats {
  name: string;
  type: "memory" | "filesystem";
  /** Chunks produced and not yet settled (memory) or not yet on disk (filesystem). */
  chunks: number;
  bytes: number;
  /** `mem_buf_limit`, 0 for none. */
  limit: number;
  paused: boolean;
}

/** Bytes as Fluent Bit prints them: `512b`, `1.5K`, `2.0M` (powers of 1024). */
export function humanSize(bytes: number): string {
  const units = ["b", "K", "M", "G", "T"];
  let i = 0;
  let u = 1024;
  while (i < units.length - 1 && Math.floor(bytes / u) > 0) {
    i++;
    u *= 1024;
  }
  if (i === 0) return `${Math.max(0, Math.floor(bytes))}b`;
  return `${(bytes / (u / 1024)).toFixed(1)}${units[i]}`;
}

interface Row {
  name: string;
  total: number;
  up: number;
  down: number;
  memBytes: number;
  limit: number;
  overlimit: boolean;
}

function rows(inputs: readonly InputBufferStats[], storage?: FilesystemStorage): Row[] {
  return inputs.map((i) => {
    const fs = storage?.stats.inputs.get(i.name);
    const stored = fs?.chunks ?? 0;
    const upStored = fs?.up ?? 0;
    return {
      name: i.name,
      total: i.chunks + stored,
      up: i.chunks + upStored,
      down: stored - upStored,
      memBytes: i.bytes + (fs?.upBytes ?? 0),
      limit: i.limit,
      overlimit: i.paused,
    };
  });
}

/** The `/api/v1/storage` body. */
export function storageReport(
  inputs: readonly InputBufferStats[],
  storage?: FilesystemStorage,
): Record<string, unknown> {
  const t = storage?.stats.totals() ?? { chunks: 0, up: 0, down: 0, upBytes: 0 };
  const mem = inputs.filter((i) => i.type === "memory").reduce((n, i) => n + i.chunks, 0);
  const inputChunks: Record<string, unknown> = {};
  for (const r of rows(inputs, storage)) {
    inputChunks[r.name] = {
      status: {
        overlimit: r.overlimit,
        mem_size: humanSize(r.memBytes),
        mem_limit: humanSize(r.limit),
      },
      chunks: {
        total: r.total,
        up: r.up,
        down: r.down,
        busy: r.up,
        busy_size: humanSize(r.memBytes),
      },
    };
  }
  return {
    storage_layer: {
      chunks: {
        total_chunks: mem + t.chunks,
        mem_chunks: mem,
        fs_chunks: t.chunks,
        fs_chunks_up: t.up,
        fs_chunks_down: t.down,
      },
    },
    input_chunks: inputChunks,
  };
}

/** Sets the storage gauges from the current state. */
export function updateStorageGauges(
  metrics: MetricsRegistry,
  inputs: readonly InputBufferStats[],
  storage?: FilesystemStorage,
  outputs: readonly string[] = [],
): void {
  const g = (name: string, help: string) => metrics.gauge(name, help);
  const capacity = g(
    "fluentbit_output_chunk_available_capacity_percent",
    "Available chunk capacity (percent)",
  );
  for (const name of outputs) capacity.set({ name }, storage?.capacityPercent(name) ?? 100);
  const chunks = g("fluentbit_input_storage_chunks", "Chunks of the input in the storage layer.");
  const up = g("fluentbit_input_storage_chunks_up", "Chunks of the input in memory.");
  const down = g("fluentbit_input_storage_chunks_down", "Chunks of the input on disk only.");
  const busy = g("fluentbit_input_storage_chunks_busy", "Chunks of the input being delivered.");
  const busyBytes = g("fluentbit_input_storage_chunks_busy_bytes", "Bytes of busy chunks.");
  const memory = g("fluentbit_input_storage_memory_bytes", "Memory used by the input's chunks.");
  const over = g("fluentbit_input_storage_overlimit", "Is the input over its buffer limit.");
  for (const r of rows(inputs, storage)) {
    const l = { name: r.name };
    chunks.set(l, r.total);
    up.set(l, r.up);
    down.set(l, r.down);
    busy.set(l, r.up);
    busyBytes.set(l, r.memBytes);
    memory.set(l, r.memBytes);
    over.set(l, r.overlimit ? 1 : 0);
  }
  const t = storage?.stats.totals() ?? { chunks: 0, up: 0, down: 0, upBytes: 0 };
  const mem = inputs.filter((i) => i.type === "memory").reduce((n, i) => n + i.chunks, 0);
  g("fluentbit_storage_fs_chunks", "Filesystem chunks.").set({}, t.chunks);
  g("fluentbit_storage_fs_chunks_up", "Filesystem chunks in memory.").set({}, t.up);
  g("fluentbit_storage_fs_chunks_down", "Filesystem chunks on disk only.").set({}, t.down);
  g("fluentbit_storage_fs_chunks_busy", "Filesystem chunks being delivered.").set({}, t.up);
  g("fluentbit_storage_fs_chunks_busy_bytes", "Bytes of busy filesystem chunks.").set(
    {},
    t.upBytes,
  );
  g("fluentbit_storage_mem_chunks", "Memory chunks.").set({}, mem);
  g("fluentbit_storage_chunks", "Total number of chunks in the storage layer.").set(
    {},
    t.chunks + mem,
  );
}
