/**
 * The forward plugins end to end, as a user runs them: the sluice CLI against Fluent Bit
 * 4.2.8 both ways (its out_forward into sluice's forward input in every mode, sluice's
 * forward output into its in_forward), records compared to the nanosecond, and a Node
 * Fluentd client (fluent-logger) in ack mode. Skipped with a message without ../shared.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import {
  fluentBitPath,
  fluentBitPlugin,
  NO_PEER,
  spawnFluentBit,
} from "../src/testing/fluent_bit.ts";
import { freePort, tempDirWith, waitFor } from "./_helpers.ts";
import { runSluice, type SluiceChild } from "./_forward.ts";

const bin = await fluentBitPath();
const TIME = "1700000000.123456789";

function lines(text: string, needle: string): string[] {
  return text.split("\n").filter((l) => l.includes(needle));
}

Deno.test({
  name: "Fluent Bit out_forward → sluice forward input: every mode, handshake and acks, to the ns",
  ignore: bin === null,
  async fn() {
    const [plain, secure] = [freePort(), freePort()];
    const dir = await tempDirWith({
      "sluice.yaml": `
pipeline:
  inputs:
    - name: forward
      listen: 127.0.0.1
      port: ${plain}
    - name: forward
      listen: 127.0.0.1
      port: ${secure}
      shared_key: s3cret
      self_hostname: sluice.local
      security.users: alice pw1
  outputs:
    - name: stdout
      match: "*"
`,
      "fluent-bit.yaml": `
service:
  flush: 1
  log_level: warn
pipeline:
  inputs:
    - name: dummy
      tag: fb
      dummy: '{"msg":"hi","n":1}'
      metadata: '{"m":"x"}'
      samples: 3
      fixed_timestamp: on
      start_time_sec: 1700000000
      start_time_nsec: 123456789
  outputs:
    - { name: forward, match: "*", host: 127.0.0.1, port: ${plain}, tag: default }
    - { name: forward, match: "*", host: 127.0.0.1, port: ${plain}, tag: gzip, compress: gzip }
    - { name: forward, match: "*", host: 127.0.0.1, port: ${plain}, tag: ack, require_ack_response: true }
    - name: forward
      match: "*"
      host: 127.0.0.1
      port: ${plain}
      tag: meta
      retain_metadata_in_forward_mode: true
      send_options: true
    - { name: forward, match: "*", host: 127.0.0.1, port: ${plain}, tag: int, time_as_integer: true }
    - { name: forward, match: "*", host: 127.0.0.1, port: ${plain}, tag: "msg.$msg" }
    - name: forward
      match: "*"
      host: 127.0.0.1
      port: ${secure}
      tag: secure
      shared_key: s3cret
      self_hostname: fb.local
      username: alice
      password: pw1
      require_ack_response: true
    - name: forward
      match: "*"
      host: 127.0.0.1
      port: ${secure}
      tag: wrongkey
      shared_key: nope
`,
    });
    const s = runSluice(`${dir}/sluice.yaml`);
    let fb: ReturnType<typeof spawnFluentBit> | undefined;
    try {
      await waitFor(() => lines(s.stderr(), "listening on").length === 2, {
        what: "sluice listening",
      });
      fb = spawnFluentBit(bin!, ["-c", `${dir}/fluent-bit.yaml`]);
      const body = `{"msg"=>"hi", "n"=>1}`;
      const expect: Record<string, string> = {
        default: `default: [[${TIME}, {}], ${body}]`,
        gzip: `gzip: [[${TIME}, {}], ${body}]`,
        ack: `ack: [[${TIME}, {}], ${body}]`,
        meta: `meta: [[${TIME}, {"m"=>"x"}], ${body}]`,
        int: `int: [[1700000000.000000000, {}], ${body}]`,
        msg: `msg.hi: [[${TIME}, {"m"=>"x"}], ${body}]`,
        secure: `secure: [[${TIME}, {}], ${body}]`,
      };
      await waitFor(
        () => Object.values(expect).every((e) => lines(s.stdout(), e).length === 3),
        { what: "3 records of every mode", timeoutMs: 20_000 },
      ).catch((e) => {
        throw new Error(`${e.message}\nsluice stdout:\n${s.stdout()}\nstderr:\n${s.stderr()}`);
      });
      assertEquals(lines(s.stdout(), "wrongkey").length, 0);
      await waitFor(() => s.stderr().includes("shared_key mismatch"), {
        what: "the refused key logged",
      });
      assertEquals(lines(s.stderr(), "shared_key mismatch").length, 1); // logged once
    } finally {
      await fb?.stop();
      await s.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "sluice forward output → Fluent Bit in_forward: records printed equal what was sent, to the ns",
  ignore: bin === null,
  async fn() {
    const [plain, secure] = [freePort(), freePort()];
    const out = (tag: string, extra: string) =>
      `    - { name: forward, match: "${tag}", host: 127.0.0.1, port: ${plain}${extra} }`;
    const dummy = (tag: string) => `
    - name: dummy
      tag: ${tag}
      dummy: '{"msg":"hi","n":1}'
      metadata: '{"m":"x"}'
      samples: 2
      fixed_timestamp: on
      start_time_sec: 1700000000
      start_time_nsec: 123456789`;
    const tags = ["plain", "gzip", "ack", "meta", "int", "secure"];
    const dir = await tempDirWith({
      "sluice.yaml": `
pipeline:
  inputs:${tags.map(dummy).join("")}
  outputs:
${out("plain", "")}
${out("gzip", ", compress: gzip")}
${out("ack", ", require_ack_response: true")}
${out("meta", ", retain_metadata_in_forward_mode: true")}
${out("int", ", time_as_integer: true")}
    - name: forward
      match: secure
      host: 127.0.0.1
      port: ${secure}
      shared_key: s3cret
      username: alice
      password: pw1
      require_ack_response: true
`,
    });
    const fb = spawnFluentBit(bin!, [
      "-f",
      "1",
      ...fluentBitPlugin("-i", "forward", { listen: "127.0.0.1", port: plain }),
      ...fluentBitPlugin("-i", "forward", { listen: "127.0.0.1", port: secure }),
      "-p",
      "shared_key=s3cret",
      "-p",
      "security.users=alice pw1",
      "-o",
      "stdout",
      "-m",
      "*",
    ]);
    let s: SluiceChild | undefined;
    try {
      await waitFor(async () => {
        const c = await Deno.connect({ hostname: "127.0.0.1", port: plain });
        c.close();
        return true;
      }, { what: "Fluent Bit listening" });
      s = runSluice(`${dir}/sluice.yaml`);
      const body = `{"msg"=>"hi", "n"=>1}`;
      const expect = [
        `plain: [[${TIME}, {}], ${body}]`,
        `gzip: [[${TIME}, {}], ${body}]`,
        `ack: [[${TIME}, {}], ${body}]`,
        `meta: [[${TIME}, {"m"=>"x"}], ${body}]`,
        `int: [[1700000000.000000000, {}], ${body}]`,
        `secure: [[${TIME}, {}], ${body}]`,
      ];
      await waitFor(() => expect.every((e) => lines(fb.stdout(), e).length === 2), {
        what: "2 records of every mode printed by Fluent Bit",
        timeoutMs: 20_000,
      }).catch((e) => {
        throw new Error(
          `${e.message}\nFluent Bit stdout:\n${fb.stdout()}\nsluice:\n${s?.stderr()}`,
        );
      });
      assert(!fb.stderr().includes("error"), fb.stderr());
    } finally {
      await s?.stop();
      await fb.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

if (bin === null) console.log(NO_PEER);

Deno.test({
  name:
    "Fluent Bit out_forward metrics and traces (fluent_signal) arrive in sluice as metrics and spans",
  ignore: bin === null,
  async fn() {
    const port = freePort();
    const dir = await tempDirWith({
      "sluice.yaml": `
pipeline:
  inputs:
    - { name: forward, listen: 127.0.0.1, port: ${port} }
  outputs:
    - { name: stdout, match: "*" }
`,
    });
    const s = runSluice(`${dir}/sluice.yaml`);
    let fb: ReturnType<typeof spawnFluentBit> | undefined;
    try {
      await waitFor(() => s.stderr().includes("listening on"), { what: "sluice listening" });
      fb = spawnFluentBit(bin!, [
        "-q",
        "-f",
        "1",
        "-i",
        "event_type",
        "-p",
        "type=metrics",
        "-t",
        "m",
        "-i",
        "event_type",
        "-p",
        "type=traces",
        "-t",
        "t",
        ...fluentBitPlugin("-o", "forward", { match: "*", host: "127.0.0.1", port }),
      ]);
      const names = [
        "kubernetes_network_load_counter",
        "kubernetes_network_load_gauge",
        "k8s_disk_load_summary",
        "k8s_network_load_histogram",
      ];
      await waitFor(
        () =>
          // Metrics print in cmetrics' text format (`<time> name{labels} = value`).
          names.every((n) => new RegExp(`Z ${n}[{ ]`).test(s.stdout())) &&
          s.stdout().includes('"name":"main"') && s.stdout().includes('"name":"do-work"'),
        { what: "the four metrics and the spans printed", timeoutMs: 20_000 },
      );
      assert(s.stdout().includes('"service.name":"Fluent Bit Test Service"'));
      assert(!s.stderr().includes("[error]"), s.stderr());
    } finally {
      await fb?.stop();
      await s.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
