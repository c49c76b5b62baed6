import { assertEquals } from "../../testing/assert.ts";
import { MetricsRegistry } from "../metrics.ts";
import { humanSize, storageReport, updateStorageGauges } from "./storage_report.ts";

Deno.test("humanSize() prints sizes as Fluent Bit does", () => {
  assertEquals(humanSize(0), "0b");
  assertEquals(humanSize(1023), "1023b");
  assertEquals(humanSize(1536), "1.5K");
  assertEquals(humanSize(5 * 1024 * 1024), "5.0M");
});

Deno.test("storageReport() has Fluent Bit's shape and the gauges agree with it", () => {
  const inputs = [
    {
      name: "dummy.0",
      type: "memory" as const,
      chunks: 2,
      bytes: 2048,
      limit: 1_000_000,
      paused: true,
    },
  ];
  assertEquals(storageReport(inputs), {
    storage_layer: {
      chunks: { total_chunks: 2, mem_chunks: 2, fs_chunks: 0, fs_chunks_up: 0, fs_chunks_down: 0 },
    },
    input_chunks: {
      "dummy.0": {
        status: { overlimit: true, mem_size: "2.0K", mem_limit: "976.6K" },
        chunks: { total: 2, up: 2, down: 0, busy: 2, busy_size: "2.0K" },
      },
    },
  });
  const m = new MetricsRegistry();
  updateStorageGauges(m, inputs);
  assertEquals(m.value("fluentbit_input_storage_chunks", { name: "dummy.0" }), 2);
  assertEquals(m.value("fluentbit_input_storage_overlimit", { name: "dummy.0" }), 1);
  assertEquals(m.value("fluentbit_storage_mem_chunks", {}), 2);
});
