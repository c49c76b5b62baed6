/**
 * The stdout output's default `msgpack` format: Fluent Bit's readable print of each
 * log record, numbered from 0 within the chunk.
 *
 * ```
 * [0] dummy.0: [[1700000000.123456789, {}], {"message"=>"dummy"}]
 * ```
 *
 * Group markers are not printed; each record inside a group is preceded by the group's
 * metadata and attributes, as Fluent Bit prints them.
 */
import { isGroupMarker, type LogRecord } from "../../../src/event/log_record.ts";
import { printValue } from "../../../src/event/pretty_print.ts";

/** The records of one chunk in Fluent Bit's readable form, one line each. */
export function formatReadableRecords(records: readonly LogRecord[], tag: string): string {
  let out = "";
  let n = 0;
  let group: LogRecord | undefined;
  for (const r of records) {
    if (isGroupMarker(r)) {
      group = r.time.sec === -1 ? r : undefined;
      continue;
    }
    if (group !== undefined) {
      out += "GROUP METADATA : \n\n" + printValue(group.metadata) +
        "\n\nGROUP ATTRIBUTES : \n\n" + printValue(group.body) + "\n\n";
    }
    const nsec = String(r.time.nsec).padStart(9, "0");
    out += `[${n++}] ${tag}: [[${r.time.sec}.${nsec}, ${printValue(r.metadata)}], ` +
      `${printValue(r.body)}]\n`;
  }
  return out;
}
