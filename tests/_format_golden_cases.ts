/**
 * The output format cases whose bytes Fluent Bit 4.2.8 recorded into
 * testdata/format_goldens/ (tools/record_format_goldens.ts) and sluice must reproduce
 * (tests/format_goldens_test.ts): one dummy event of two copies at a fixed time, written
 * by the file output in each format and posted by the http output in each JSON format and
 * json_date_format.
 */

/** The dummy body: escapes (quote, backslash, controls, DEL, slash), non-ASCII, every type. */
export const GOLDEN_BODY =
  '{"msg":"h\\u00e9 \\"q\\" back\\\\slash tab\\t nl\\n slash/ del\\u007f ' +
  'emoji \\ud83d\\ude00","n":42,"neg":-7,"f":1.5,"tenth":0.1,"big":12345678901234,' +
  '"t":true,"nil":null,"arr":[1,"two",{"x":3}],"map":{"k":"v","inner":{"z":[]}}}';

/** One case: where the bytes go and the output's keys (YAML lines, indented six). */
export interface GoldenCase {
  /** The golden's file name in testdata/format_goldens/. */
  name: string;
  kind: "file" | "http";
  /** Output keys besides name, match and the destination. */
  keys: string[];
  /** More `service` keys. */
  service?: string[];
}

const file = (name: string, ...keys: string[]): GoldenCase => ({ name, kind: "file", keys });
const http = (name: string, ...keys: string[]): GoldenCase => ({ name, kind: "http", keys });

/** Every case. */
export const GOLDEN_CASES: readonly GoldenCase[] = [
  file("file_out_file.txt"),
  file("file_plain.txt", "format: plain"),
  file("file_csv.txt", "format: csv"),
  file("file_csv_column_names.txt", "format: csv", "csv_column_names: on"),
  file("file_ltsv.txt", "format: ltsv"),
  file("file_template.txt", "format: template", "template: '{time} {msg} {n} {missing}'"),
  file("file_msgpack.bin", "format: msgpack"),
  { ...file("file_plain_unescaped.txt", "format: plain"), service: ["json.escape_unicode: off"] },
  http("http_json_lines_double.txt", "format: json_lines"),
  http("http_json_lines_epoch.txt", "format: json_lines", "json_date_format: epoch"),
  http("http_json_lines_epoch_ms.txt", "format: json_lines", "json_date_format: epoch_ms"),
  http("http_json_lines_iso8601.txt", "format: json_lines", "json_date_format: iso8601"),
  http(
    "http_json_lines_java_sql_timestamp.txt",
    "format: json_lines",
    "json_date_format: java_sql_timestamp",
  ),
  http("http_json_lines_date_key.txt", "format: json_lines", "json_date_key: ts"),
  http("http_json_lines_no_date.txt", "format: json_lines", "json_date_key: false"),
  http("http_json.txt", "format: json"),
  http("http_json_stream.txt", "format: json_stream"),
  http("http_msgpack.bin", "format: msgpack"),
];

/**
 * The YAML config of `c` for either collector: dummy (two copies, fixed time
 * 1700000000.123456789) into a file under `dir` or an HTTP receiver on `port`.
 */
export function goldenConfig(c: GoldenCase, dir: string, port: number): string {
  const dest = c.kind === "file"
    ? [`path: ${dir}`, "file: out"]
    : ["host: 127.0.0.1", `port: ${port}`, "uri: /in"];
  return [
    "service:",
    "  flush: 0.2",
    "  grace: 1",
    "  log_level: warn",
    ...(c.service ?? []).map((k) => `  ${k}`),
    "pipeline:",
    "  inputs:",
    "    - name: dummy",
    "      tag: golden",
    `      dummy: '${GOLDEN_BODY}'`,
    "      copies: 2",
    "      samples: 1",
    "      flush_on_startup: on",
    "      fixed_timestamp: on",
    "      start_time_sec: 1700000000",
    "      start_time_nsec: 123456789",
    "  outputs:",
    `    - name: ${c.kind}`,
    '      match: "*"',
    ...[...dest, ...c.keys].map((k) => `      ${k}`),
    "",
  ].join("\n");
}
