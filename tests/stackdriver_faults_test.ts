/**
 * Faults of the stackdriver output, through the CLI: an access token that expires mid-run
 * (401, refreshed, nothing lost), a key Google does not know (a permanent error, no retry
 * loop), refused entries dead-lettered with the reason, and Cloud Logging down for 30 s.
 */
import { listDeadLetters, readDeadLetter } from "../src/engine/storage/dead_letter.ts";
import type { LogRecord } from "../src/event/log_record.ts";
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { GoogleReceiver } from "../src/testing/google_receiver.ts";
import { until } from "../src/testing/until.ts";
import { runSluice, spawnSluice } from "./_helpers.ts";
import { EMAIL, setup, yaml } from "./_stackdriver.ts";

Deno.test("stackdriver: an access token that expires mid-run is refreshed; nothing lost or doubled", async () => {
  const g = await GoogleReceiver.start();
  try {
    const dir = await setup(g);
    const write = (from: number, to: number) => {
      let t = "";
      for (let i = from; i < to; i++) t += `{"seq":${i},"message":"line ${i}"}\n`;
      return Deno.writeTextFile(`${dir}/in.log`, t, { append: true });
    };
    await write(0, 20);
    await Deno.writeTextFile(
      `${dir}/sluice.yaml`,
      yaml(g, dir, ["name: tail", `path: ${dir}/in.log`, "read_from_head: true", "parser: j"], [
        "retry_limit: 5",
      ]) + "parsers:\n  - name: j\n    format: json\n",
    );
    const child = spawnSluice(["-c", `${dir}/sluice.yaml`]);
    try {
      await until(() => g.entries.length >= 20, "the first 20 entries", { timeout: 20_000 });
      g.expireTokens();
      await write(20, 40);
      await until(() => g.entries.length >= 40, "40 entries after the expiry", { timeout: 20_000 });
    } finally {
      child.kill("SIGTERM");
      await child.output();
    }
    const seqs = g.entries.map((e) => (e.jsonPayload as { seq: number }).seq).sort((a, b) => a - b);
    assertEquals(seqs, Array.from({ length: 40 }, (_, i) => i));
    assertEquals(g.writes.filter((w) => w.status === 401).length, 1, "one refused write");
    assertEquals(g.tokenRequests.filter((t) => t.ok).length, 2, "a second token after the 401");
  } finally {
    await g.stop();
  }
});

Deno.test("stackdriver: a key Google does not know is a permanent error with the reason, not a loop", async () => {
  const g = await GoogleReceiver.start();
  try {
    const dir = await setup(g, false);
    await Deno.writeTextFile(
      `${dir}/sluice.yaml`,
      yaml(g, dir, ["name: dummy", "samples: 3", "rate: 100"], ["retry_limit: 5"]),
    );
    const r = await runSluice(["-c", `${dir}/sluice.yaml`]);
    assertStringIncludes(r.stderr, `Cannot get an OAuth2 token for ${EMAIL}`);
    assertStringIncludes(r.stderr, "invalid_grant: Invalid JWT Signature.");
    assert(!r.stderr.includes("retry 1"), r.stderr);
    assertEquals(g.writes.length, 0);
    assert(g.tokenRequests.length >= 1 && g.tokenRequests.every((t) => !t.ok));
    assert(g.tokenRequests.length <= 3, `one token request per chunk: ${g.tokenRequests.length}`);
    const letters = await listDeadLetters(`${dir}/store/rejected`);
    assertEquals(letters.reduce((n, l) => n + l.header.records, 0), 3, "the records are kept");
  } finally {
    await g.stop();
  }
});

Deno.test("stackdriver: metadata-server token, gce_instance, refused entries dead-lettered with Google's reason", async () => {
  const g = await GoogleReceiver.start({ project: "meta-project" });
  g.refuse = (e) =>
    (e.jsonPayload as { bad?: boolean } | undefined)?.bad
      ? { code: 3, message: "Invalid value at 'entries[0].json_payload'" }
      : undefined;
  try {
    const dir = await Deno.makeTempDir({ prefix: "sluice_sd_meta_" });
    let t = "";
    for (let i = 0; i < 30; i++) t += `{"seq":${i}${i % 5 === 0 ? ',"bad":true' : ""}}\n`;
    await Deno.writeTextFile(`${dir}/in.log`, t);
    const config = yaml(g, dir, [
      "name: tail",
      `path: ${dir}/in.log`,
      "read_from_head: true",
      "exit_on_eof: true",
      "parser: j",
    ], ["resource: gce_instance", `metadata_server: ${g.url}`])
      .replace(/ {6}google_service_credentials: .*\n/, "") +
      "parsers:\n  - name: j\n    format: json\n";
    await Deno.writeTextFile(`${dir}/sluice.yaml`, config);
    const r = await runSluice(["-c", `${dir}/sluice.yaml`]);
    assertStringIncludes(r.stderr, "dead-letter");
    const seqs = g.entries.map((e) => (e.jsonPayload as { seq: number }).seq).sort((a, b) => a - b);
    assertEquals(seqs, Array.from({ length: 30 }, (_, i) => i).filter((i) => i % 5 !== 0));
    assertEquals(g.writes[0]!.body.resource, {
      type: "gce_instance",
      labels: {
        project_id: "meta-project",
        zone: "europe-west1-b",
        instance_id: "4520031799277581759",
      },
    });
    assertEquals(g.entries[0]!.logName, "projects/meta-project/logs/tail.0");
    const dead: number[] = [];
    for (const l of await listDeadLetters(`${dir}/store/rejected`)) {
      assertStringIncludes(l.header.reason, "code 3: Invalid value at 'entries[0].json_payload'");
      for (const rec of (await readDeadLetter(l.path)).records as LogRecord[]) {
        dead.push(rec.body.seq as number);
      }
    }
    assertEquals(dead.sort((a, b) => a - b), [0, 5, 10, 15, 20, 25]);
  } finally {
    await g.stop();
  }
});

Deno.test("Cloud Logging down for 30 s, then back: buffered and delivered, nothing lost", async () => {
  const g = await GoogleReceiver.start();
  try {
    const dir = await setup(g);
    let t = "";
    for (let i = 0; i < 500; i++) t += `{"seq":${i}}\n`;
    await Deno.writeTextFile(`${dir}/in.log`, t);
    await Deno.writeTextFile(
      `${dir}/sluice.yaml`,
      yaml(g, dir, [
        "name: tail",
        `path: ${dir}/in.log`,
        "read_from_head: true",
        "parser: j",
        "storage.type: filesystem",
      ], ["retry_limit: no_limits"]) + "parsers:\n  - name: j\n    format: json\n",
    );
    await g.down();
    const child = spawnSluice(["-c", `${dir}/sluice.yaml`]);
    try {
      await new Promise((r) => setTimeout(r, 30_000));
      assertEquals(g.entries.length, 0);
      await g.up();
      await until(() => g.entries.length >= 500, "every entry after the outage", {
        timeout: 60_000,
      });
    } finally {
      child.kill("SIGTERM");
      await child.output();
    }
    const seqs = new Set(g.entries.map((e) => (e.jsonPayload as { seq: number }).seq));
    assertEquals(seqs.size, 500);
  } finally {
    await g.stop();
  }
});
