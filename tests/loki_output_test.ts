/**
 * The loki output end to end through the CLI: the push body for each option against a
 * Loki-compatible receiver and, when the peer is present, byte for byte against what
 * Fluent Bit 4.2.8 sends for the same config (the faults are in loki_faults_test.ts).
 */
import { assertEquals } from "../src/testing/assert.ts";
import { LokiReceiver } from "../src/testing/loki_receiver.ts";
import { NO_PEER } from "../src/testing/fluent_bit.ts";
import { ROOT } from "./_helpers.ts";
import { dummyOutputsConfig, runFluentBitUntil, runSluiceConfig } from "./_outputs.ts";

const RECORD = {
  level: "warn",
  msg: "hi",
  log: "hello",
  stream: "stdout",
  tid: "abc",
  kubernetes: {
    labels: { app: "web", "app.kubernetes.io/name": "x", n: 1 },
    namespace_name: "ns1",
  },
  a: "x",
  n: 1,
  ok: true,
  f: 1.5,
  arr: [1, "b"],
  u: "h\u00e9llo",
};
const ALL_BUT_LOG = "level, msg, stream, tid, kubernetes, a, n, ok, f, arr, u";

/** Each case: an output's extra keys; its pushes go to /<name>/loki/api/v1/push. */
const CASES: Record<string, string[]> = {
  defaults: [],
  labels: ["labels: job=app, $level"],
  labels_removed: ["labels: job=app, $level", "remove_keys: msg"],
  key_value: ["line_format: key_value", "remove_keys: kubernetes, log, stream, tid, u"],
  drop_raw: ["drop_single_key: raw", `remove_keys: ${ALL_BUT_LOG}`],
  drop_on: ["drop_single_key: on", `remove_keys: ${ALL_BUT_LOG}`],
  drop_kv: ["drop_single_key: on", "line_format: key_value", `remove_keys: ${ALL_BUT_LOG}`],
  metadata: ["structured_metadata: trace_id=$tid, static=x", "remove_keys: kubernetes"],
  kubernetes: ["auto_kubernetes_labels: on", "labels: $kubernetes['namespace_name'], job=k8s"],
  label_map: [`label_map_path: ${ROOT}testdata/loki/label_map.json`, "remove_keys: msg"],
  label_keys: ["label_keys: $kubernetes['namespace_name'], $level", "remove_keys: u"],
  tenant_auth: ["tenant_id: t1", "http_user: u", "http_passwd: p", "compress: gzip"],
  tenant_key: ["tenant_id_key: $tid", "bearer_token: tok"],
};

function vectorsConfig(port: number): string {
  const outputs = Object.entries(CASES).map(([name, keys]) =>
    `    - name: loki\n      match: "*"\n      host: 127.0.0.1\n      port: ${port}\n` +
    `      uri: /${name}/loki/api/v1/push\n      retry_limit: 1\n` +
    // One worker each: Fluent Bit keeps the remove list per thread, shared by the loki
    // outputs of one thread (the first one's wins), so each needs a thread of its own.
    "      workers: 1\n" +
    keys.map((k) => `      ${k}\n`).join("")
  ).join("");
  return dummyOutputsConfig(JSON.stringify(RECORD), outputs);
}

const TS = "1700000000500000000";

function byCase(rx: LokiReceiver): Map<string, { text: string; headers: Headers }> {
  const out = new Map<string, { text: string; headers: Headers }>();
  for (const r of rx.requests) out.set(r.path.split("/")[1]!, { text: r.text, headers: r.headers });
  return out;
}

Deno.test("loki output: the push body of each option (and the same as Fluent Bit's)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_loki_" });
  const rx = await LokiReceiver.start();
  const run = await runSluiceConfig(dir, vectorsConfig(rx.port));
  assertEquals(run.code, 0, run.log);
  const got = byCase(rx);
  assertEquals([...got.keys()].sort(), Object.keys(CASES).sort(), run.log);
  const body = (name: string) => JSON.parse(got.get(name)!.text);
  const value = (name: string) => body(name).streams[0].values[0];

  const line = JSON.stringify(RECORD).replace("h\u00e9llo", "h\\u00e9llo");
  assertEquals(body("defaults"), {
    streams: [{ stream: { job: "fluent-bit" }, values: [[TS, line]] }],
  });
  assertEquals(got.get("defaults")!.headers.get("content-type"), "application/json");
  assertEquals(body("labels").streams[0].stream, { job: "app", level: "warn" });
  assertEquals(JSON.parse(value("labels")[1]).level, undefined, "label keys leave the line");
  const removed = JSON.parse(value("labels_removed")[1]);
  assertEquals([removed.level, removed.msg], [undefined, undefined], "with remove_keys they go");
  assertEquals(
    value("key_value")[1],
    'level="warn" msg="hi" a="x" n=1 ok=true f=1.5 arr="[1 "b"]"',
  );
  assertEquals(value("drop_raw")[1], "hello");
  assertEquals(value("drop_on")[1], '"hello"');
  assertEquals(value("drop_kv")[1], "hello");
  assertEquals(value("metadata")[2], { trace_id: "abc", static: "x" });
  assertEquals(body("kubernetes").streams[0].stream, {
    kubernetes_namespace_name: "ns1",
    job: "k8s",
    app: "web",
    app_kubernetes_io_name: "x",
  });
  assertEquals(body("label_map").streams[0].stream, {
    namespace: "ns1",
    app: "web",
    severity: "warn",
  });
  assertEquals(body("label_keys").streams[0].stream, {
    kubernetes_namespace_name: "ns1",
    level: "warn",
  });
  const auth = got.get("tenant_auth")!.headers;
  assertEquals(auth.get("x-scope-orgid"), "t1");
  assertEquals(auth.get("authorization"), `Basic ${btoa("u:p")}`);
  assertEquals(auth.get("content-encoding"), "gzip");
  const keyed = got.get("tenant_key")!.headers;
  assertEquals([keyed.get("x-scope-orgid"), keyed.get("authorization")], ["abc", "Bearer tok"]);

  const peer = await LokiReceiver.start();
  const fbLog = await runFluentBitUntil(
    dir,
    vectorsConfig(peer.port),
    () => byCase(peer).size === Object.keys(CASES).length,
  );
  if (fbLog === null) {
    console.log(NO_PEER);
  } else {
    const theirs = byCase(peer);
    for (const name of Object.keys(CASES)) {
      const a = got.get(name)!;
      const b = theirs.get(name)!;
      assertEquals(a.text, b.text, `case ${name}: the same body as Fluent Bit's`);
      for (const h of ["content-type", "x-scope-orgid", "authorization", "content-encoding"]) {
        assertEquals(a.headers.get(h), b.headers.get(h), `case ${name}: header ${h}`);
      }
    }
  }
  await peer.stop();
  await rx.stop();
});
