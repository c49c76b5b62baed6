/**
 * `label_map_path`: a JSON file whose nested maps mirror the record and whose string
 * leaves name the labels, e.g. `{"kubernetes": {"namespace_name": "namespace"}}` makes
 * the label `namespace` from `$kubernetes['namespace_name']`.
 */
import { errorMessage } from "../../../src/error_message.ts";
import { OptionError } from "../../../src/plugin.ts";
import { isRecordMap } from "../../../src/event/record_accessor.ts";
import { type CompiledPairs, compilePair } from "./pairs.ts";

function accessorOf(path: readonly string[]): string {
  const [first, ...rest] = path;
  return `$${first}${rest.map((k) => `['${k.replaceAll("'", "''")}']`).join("")}`;
}

/** The label pairs a parsed label map declares; throws OptionError on a bad shape. */
export function labelMapPairs(map: unknown): CompiledPairs {
  const out: CompiledPairs = { pairs: [], read: [] };
  const walk = (value: unknown, path: string[]): void => {
    if (typeof value === "string") {
      const { pair, read } = compilePair(`${value}=${accessorOf(path)}`, "label_map_path");
      out.pairs.push(pair);
      if (read) out.read.push(read);
      return;
    }
    if (!isRecordMap(value)) {
      throw new OptionError(
        "label_map_path",
        `Cannot use the label map: ${path.join(".")} must be a string or a map`,
      );
    }
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  if (!isRecordMap(map)) {
    throw new OptionError("label_map_path", "Cannot use the label map: expected a JSON object");
  }
  for (const [k, v] of Object.entries(map)) walk(v, [k]);
  return out;
}

/** Reads and compiles the label map at `path`; throws OptionError. */
export async function loadLabelMap(path: string): Promise<CompiledPairs> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    throw new OptionError("label_map_path", `Cannot read label map ${path}: ${errorMessage(e)}`);
  }
  return labelMapPairs(parsed);
}
