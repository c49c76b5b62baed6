import { assertEquals, assertStringIncludes } from "../../testing/assert.ts";
import { commonInputOptions, serviceOptions } from "../../config/common_options.ts";
import { defaultsOf } from "../../config/options.ts";
import type { ConfigProblem } from "../../config/model.ts";
import type { InputConfig, PipelineConfig } from "../../config/resolved.ts";
import { Logger, memorySink } from "../log.ts";
import { MetricsRegistry } from "../metrics.ts";
import { deadLetterDir, inputStorageType, setupStorage } from "./setup.ts";

const pos = { file: "s.yaml", line: 3, col: 5 };

function config(
  service: Record<string, unknown>,
  inputs: Record<string, unknown>[],
): PipelineConfig {
  return {
    file: "s.yaml",
    files: [],
    service: { ...defaultsOf(serviceOptions), ...service },
    inputs: inputs.map((common, i) =>
      ({
        name: `in.${i}`,
        common: { ...defaultsOf(commonInputOptions), ...common },
        pos,
      }) as unknown as InputConfig
    ),
    filters: [],
    outputs: [],
    parsers: [],
    multilineParsers: [],
  };
}

Deno.test("inputStorageType() uses the input's own type, else the service's with storage.inherit", () => {
  const s = {
    ...defaultsOf(serviceOptions),
    "storage.type": "filesystem",
    "storage.inherit": true,
  };
  const c = defaultsOf(commonInputOptions);
  assertEquals(inputStorageType(s, c), "filesystem");
  assertEquals(inputStorageType(s, { ...c, "storage.type": "memory" }), "memory");
  assertEquals(inputStorageType({ ...s, "storage.inherit": false }, c), "memory");
  assertEquals(inputStorageType(s, { ...c, "storage.type": "memrb" }), "memory");
});

Deno.test("setupStorage() reports filesystem inputs and dead letters without storage.path", () => {
  const problems: ConfigProblem[] = [];
  const deps = {
    log: new Logger({ sink: memorySink() }),
    metrics: new MetricsRegistry(),
    problems,
  };
  const made = setupStorage(
    config({ "storage.keep.rejected": true }, [{ "storage.type": "filesystem" }, {}]),
    deps,
  );
  assertEquals(made.storage, undefined);
  assertEquals(problems.length, 2);
  assertEquals([problems[0]!.key, problems[0]!.pos], ["storage.type", pos]);
  assertStringIncludes(problems[1]!.message, "storage.path");
  problems.length = 0;
  const ok = setupStorage(
    config({ "storage.path": "/x/", "storage.keep.rejected": true }, []),
    deps,
  );
  assertEquals([problems.length, ok.storage?.path, ok.deadLetters?.dir], [0, "/x", "/x/rejected"]);
  assertEquals(
    deadLetterDir({ ...defaultsOf(serviceOptions), "storage.rejected.path": "/dlq" }),
    "/dlq",
  );
});
