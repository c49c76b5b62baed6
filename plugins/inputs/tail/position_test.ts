import { assertEquals } from "../../../src/testing/assert.ts";
import { fingerprint } from "./fingerprint.ts";
import type { DbRow } from "./offset_db.ts";
import { choosePosition } from "./position.ts";

const head = new TextEncoder().encode("first line\nsecond line\n");
const file = { name: "/v/app.log", dev: 7, size: 100, head, gzip: false };
const opts = { fromHead: false, compareFilename: false };

function row(extra: Partial<DbRow>): DbRow {
  return { id: 1, name: "/v/app.log", offset: 40, inode: 5, rotated: false, ...extra };
}

Deno.test("choosePosition resumes at a Fluent Bit row's offset for the same inode", () => {
  const p = choosePosition([row({})], file, opts);
  assertEquals([p.offset, p.why, p.row?.id], [40, "stored", 1]);
});

Deno.test("choosePosition resumes at a sluice row when device and head fingerprint match", () => {
  const fp = fingerprint(head.subarray(0, 11));
  const p = choosePosition([row({ dev: 7, fp, fpSize: 11 })], file, opts);
  assertEquals([p.offset, p.why], [40, "stored"]);
});

Deno.test("choosePosition reads a reused inode from its start: the head differs", () => {
  const p = choosePosition(
    [row({ dev: 7, fp: fingerprint(new Uint8Array([1, 2])), fpSize: 2 })],
    file,
    opts,
  );
  assertEquals([p.offset, p.why, p.stale.length], [0, "replaced", 1]);
});

Deno.test("choosePosition starts over when the stored offset is past the end (truncated)", () => {
  const p = choosePosition([row({ offset: 500 })], file, opts);
  assertEquals([p.offset, p.why], [0, "replaced"]);
});

Deno.test("choosePosition follows read_from_head without a row, and compare_filename", () => {
  assertEquals(choosePosition([], file, opts).offset, Infinity);
  assertEquals(choosePosition([], file, { ...opts, fromHead: true }).offset, 0);
  const p = choosePosition([row({ name: "/v/other.log" })], file, {
    ...opts,
    compareFilename: true,
  });
  assertEquals([p.offset, p.stale.length], [Infinity, 1]);
});

Deno.test("choosePosition ignores a row of another device with the same inode", () => {
  const fp = fingerprint(head.subarray(0, 11));
  const p = choosePosition([row({ dev: 9, fp, fpSize: 11 })], file, { ...opts, fromHead: true });
  assertEquals([p.offset, p.why], [0, "head"]);
});
