/**
 * The splunk output end to end through the CLI against an HEC-compatible receiver (and,
 * when the peer is present, byte for byte against what Fluent Bit 4.2.8 sends for the
 * same config): the event envelope of each option, an event HEC refuses dead-lettered
 * alone with HEC's reason while the others are delivered once, a wrong token refused once
 * with a clear message, and HEC down for 30 s with nothing lost.
 */
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { SplunkReceiver } from "../src/testing/splunk_receiver.ts";
import { NO_PEER } from "../src/testing/fluent_bit.ts";
import { waitFor } from "./_helpers.ts";
import {
  deadLetterRecords,
  dummyOutputsConfig,
  range,
  runFluentBitUntil,
  runSluiceConfig,
  startSluice,
  tailJsonConfig,
  waitForDeadLetters,
} from "./_outputs.ts";

const RECORD = {
  log: "hello",
  a: "x",
  n: 1,
  st: "custom",
  idx: "idx1",
  kubernetes: { host: "node1", labels: { app: "web" } },
  u: "h\u00e9llo",
};

/** Each case: an output's keys (its own receiver; the token is `t`). */
const CASES: Record<string, string[]> = {
  defaults: ["splunk_token: t"],
  meta: [
    "splunk_token: t",
    "event_host: $kubernetes['host']",
    "event_source: src-$TAG",
    "event_sourcetype: st",
    "event_index: main",
  ],
  keys: [
    "splunk_token: t",
    "event_sourcetype_key: $st",
    "event_index_key: $idx",
    "event_sourcetype: fallback",
    "event_index: main",
  ],
  fields: ["splunk_token: t", "event_field: f1 $a", "event_field: f2 $kubernetes['labels']"],
  event_key: ["splunk_token: t", "event_key: $log", "event_host: h"],
  raw: ["splunk_token: t", "splunk_send_raw: on"],
  raw_key: ["splunk_token: t", "splunk_send_raw: on", "event_key: $log"],
  basic: ["http_user: u", "http_passwd: t", "compress: gzip", "channel: ch-1"],
  auto_time: ["splunk_token: t", "auto_extract_timestamp: on"],
};

/** Cases Fluent Bit 4.2.8 lacks (auto_extract_timestamp came in 4.3). */
const NOT_IN_PEER = ["auto_time"];

function config(ports: Record<string, number>, peer = false): string {
  const cases = Object.entries(CASES).filter(([name]) => !peer || !NOT_IN_PEER.includes(name));
  const outputs = cases.map(([name, keys]) =>
    `    - name: splunk\n      match: "*"\n      host: 127.0.0.1\n      port: ${ports[name]}\n` +
    "      retry_limit: 1\n      workers: 1\n" + keys.map((k) => `      ${k}\n`).join("")
  ).join("");
  return dummyOutputsConfig(JSON.stringify(RECORD), outputs);
}

async function receivers(peer = false): Promise<Record<string, SplunkReceiver>> {
  const out: Record<string, SplunkReceiver> = {};
  for (const name of Object.keys(CASES)) {
    if (!peer || !NOT_IN_PEER.includes(name)) {
      out[name] = await SplunkReceiver.start({ token: "t" });
    }
  }
  return out;
}

const portsOf = (rx: Record<string, SplunkReceiver>) =>
  Object.fromEntries(Object.entries(rx).map(([k, r]) => [k, r.port]));

Deno.test("splunk output: the HEC event of each option (and the same as Fluent Bit's)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_splunk_" });
  const ours = await receivers();
  const run = await runSluiceConfig(dir, config(portsOf(ours)));
  const first = (name: string) => ours[name]!.requests[0]!;
  for (const name of Object.keys(CASES)) {
    assert(ours[name]!.requests.length > 0, `${name}: ${run.log}`);
  }
  const body = (name: string) => JSON.parse(first(name).text);
  const event = { ...RECORD };
  assertEquals(body("defaults"), { time: 1700000000.5, event });
  assertEquals(first("defaults").path, "/services/collector/event");
  assertEquals(first("defaults").headers.get("authorization"), "Splunk t");
  assertEquals(body("meta"), {
    time: 1700000000.5,
    host: "node1",
    source: "src-app.web",
    sourcetype: "st",
    index: "main",
    event,
  });
  assertEquals([body("keys").sourcetype, body("keys").index], ["custom", "idx1"]);
  assertEquals(body("fields").fields, { f1: "x", f2: { app: "web" } });
  assertEquals(body("event_key"), { time: 1700000000.5, host: "h", event: "hello" });
  assertEquals(first("raw").text, JSON.stringify(RECORD).replace("\u00e9", "\\u00e9") + "\n");
  assertEquals(first("raw_key").text, '"hello"\n');
  const basic = first("basic").headers;
  assertEquals(basic.get("authorization"), `Basic ${btoa("u:t")}`);
  assertEquals(basic.get("x-splunk-request-channel"), "ch-1");
  assertEquals(basic.get("content-encoding"), "gzip");
  assertEquals(body("auto_time"), { event });
  assertEquals(new URL(`http://x${first("auto_time").path}`).pathname, "/services/collector/event");
  assertEquals(ours.defaults!.events().length, 1);

  const theirs = await receivers(true);
  const fbLog = await runFluentBitUntil(
    dir,
    config(portsOf(theirs), true),
    () => Object.values(theirs).every((r) => r.requests.length > 0),
  );
  if (fbLog === null) {
    console.log(NO_PEER);
  } else {
    for (const name of Object.keys(theirs)) {
      const a = first(name);
      const b = theirs[name]!.requests[0]!;
      assertEquals(a.text, b.text, `case ${name}: the same body as Fluent Bit's`);
      assertEquals(a.path, b.path, `case ${name}: path`);
      for (const h of ["authorization", "x-splunk-request-channel", "content-encoding"]) {
        assertEquals(a.headers.get(h), b.headers.get(h), `case ${name}: header ${h}`);
      }
    }
  }
  for (const r of [...Object.values(ours), ...Object.values(theirs)]) await r.stop();
});

function tailConfig(port: number, keys: string[]): string {
  return tailJsonConfig(`    - name: splunk
      match: "*"
      port: ${port}
      workers: 1
${keys.map((k) => `      ${k}\n`).join("")}`);
}

function lines(from: number, to: number, badIndex: readonly number[] = []): string {
  let text = "";
  for (let i = from; i < to; i++) {
    text += JSON.stringify({ id: i, idx: badIndex.includes(i) ? "nope" : "main" }) + "\n";
  }
  return text;
}

function ids(rx: SplunkReceiver): number[] {
  return rx.events().map((e) => Number((e.event as { id: number }).id)).sort((a, b) => a - b);
}

Deno.test("splunk output: an event HEC refuses is dead-lettered with its reason, the others delivered once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_splunk_bad_" });
  await Deno.writeTextFile(`${dir}/in.log`, lines(0, 100, [30, 70]));
  const rx = await SplunkReceiver.start({ token: "t", indexes: ["main"] });
  const svc = await startSluice(
    dir,
    tailConfig(rx.port, ["splunk_token: t", "event_index_key: $idx", "retry_limit: 1"]),
  );
  try {
    await waitForDeadLetters(dir, 2);
    await waitFor(() => rx.events().length >= 98, { what: "98 events" });
    assertEquals(ids(rx), range(0, 100).filter((i) => i !== 30 && i !== 70), "the rest, once each");
    const dlq = await deadLetterRecords(dir);
    assertEquals(dlq.map((d) => d.body.id), [30, 70]);
    assertStringIncludes(dlq[0]!.reason, "Incorrect index (code 7)");
    assertEquals(dlq[0]!.status, 400);
  } finally {
    await svc.stop();
    await rx.stop();
  }
});

Deno.test("splunk output: a wrong token is refused once with a clear message", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_splunk_403_" });
  await Deno.writeTextFile(`${dir}/in.log`, lines(0, 20));
  const rx = await SplunkReceiver.start({ token: "right" });
  const svc = await startSluice(
    dir,
    tailConfig(rx.port, ["splunk_token: wrong", "retry_limit: no_limits"]),
  );
  try {
    const [first] = await waitForDeadLetters(dir, 20);
    assertStringIncludes(first!.reason, "HEC refused the token (HTTP 403): Invalid token (code 4)");
    assertEquals(first!.status, 403);
    assertEquals(rx.requests.every((r) => r.status === 403), true);
    assert(!svc.log().includes("retry 1"), "not retried");
  } finally {
    await svc.stop();
    await rx.stop();
  }
});

Deno.test("splunk output: HEC down for 30 s, then back: everything buffered and delivered", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_splunk_down_" });
  await Deno.writeTextFile(`${dir}/in.log`, lines(0, 100));
  const rx = await SplunkReceiver.start({ token: "t" });
  const svc = await startSluice(
    dir,
    tailConfig(rx.port, ["splunk_token: t", "retry_limit: no_limits"]),
  );
  try {
    await waitFor(() => rx.events().length >= 100, { what: "the first 100" });
    await rx.down();
    await Deno.writeTextFile(`${dir}/in.log`, lines(100, 300), { append: true });
    await waitFor(() => svc.log().includes("retry"), { what: "a retry", timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 30_000)); // the outage itself, not an assertion
    rx.mode = { kind: "status", status: 503, times: 1 }; // busy once more when it comes back
    await rx.up();
    await waitFor(() => rx.events().length >= 300, { what: "all 300", timeoutMs: 30_000 });
    assertEquals([...new Set(ids(rx))], range(0, 300), "none missing");
    assertEquals(await deadLetterRecords(dir), []);
  } finally {
    await svc.stop();
    await rx.stop();
  }
});
