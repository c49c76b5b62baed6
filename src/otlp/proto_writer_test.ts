import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { assertEquals, assertThrows } from "../testing/assert.ts";
import { ProtoWriter } from "./proto_writer.ts";

type Op = (w: BinaryWriter | ProtoWriter) => void;

/** Runs the same calls on BinaryWriter and ProtoWriter and compares the bytes. */
function same(ops: Op[], initial = 16): void {
  const want = new BinaryWriter();
  const got = new ProtoWriter(initial);
  for (const op of ops) {
    op(want);
    op(got);
  }
  assertEquals(Array.from(got.finish()), Array.from(want.finish()));
}

Deno.test("ProtoWriter writes scalars byte for byte as BinaryWriter", () => {
  const ints = [0, 1, 127, 128, 300, 16383, 16384, 2 ** 21, 2 ** 28, 2 ** 31 - 1, -1, -(2 ** 31)];
  same(ints.map((n): Op => (w) => w.tag(3, 0).int32(n)));
  same(ints.map((n): Op => (w) => w.uint32(n >>> 0)));
  same(ints.map((n): Op => (w) => w.sint32(n)));
  same(ints.map((n): Op => (w) => w.fixed32(n >>> 0)));
  const big = [0n, 1n, 2n ** 32n, 2n ** 63n - 1n, -1n, -(2n ** 63n), 1700000000000000000n];
  same(big.map((n): Op => (w) => w.int64(n)));
  same([0, 5, 2 ** 32, 2 ** 53 - 1, -5, -(2 ** 53) + 1].map((n): Op => (w) => w.int64(n)));
  same(big.filter((n) => n >= 0n).map((n): Op => (w) => w.fixed64(n).uint64(n)));
  same(big.map((n): Op => (w) => w.sfixed64(n)));
  same([0, -0, 0.25, 1e300, NaN, -Infinity].map((n): Op => (w) => w.double(n)));
  same([(w) => w.bool(true).bool(false)]);
});

Deno.test("ProtoWriter writes strings and bytes of every size as BinaryWriter", () => {
  const strings = ["", "a", "é", "日本", "😀", "\ud800", "x".repeat(127), "y".repeat(128)];
  strings.push("z".repeat(70), "ü".repeat(70), "é".repeat(63) + "a", "日".repeat(5000));
  same(strings.map((s): Op => (w) => w.tag(1, 2).string(s)));
  const sizes = [0, 1, 16, 33, 200, 20000];
  same(sizes.map((n): Op => (w) => w.bytes(new Uint8Array(n).map((_, i) => i))));
});

Deno.test("ProtoWriter nests forks of every length as BinaryWriter", () => {
  const nested = (sizes: number[]): Op => (w) => {
    for (const n of sizes) {
      w.tag(2, 2).fork();
      w.tag(1, 2).fork().tag(1, 2).string("k".repeat(n)).join();
      w.tag(2, 2).fork().join();
      w.join();
    }
  };
  same([nested([1, 200, 3, 20000, 5, 130, 126, 127])]);
  same([nested([20000, 1, 1, 200000])], 1);
});

Deno.test("ProtoWriter is reusable after finish and refuses unbalanced joins", () => {
  const w = new ProtoWriter(8);
  w.tag(1, 2).string("hello");
  assertEquals(Array.from(w.finish()), [10, 5, 104, 101, 108, 108, 111]);
  assertEquals(Array.from(w.tag(1, 0).uint32(1).finish()), [8, 1]);
  assertThrows(() => w.join(), Error, "fork stack empty");
  w.fork();
  assertThrows(() => w.finish(), Error, "fork stack not empty");
  w.reset();
  assertEquals(w.finish().length, 0);
});
