import { Ack } from "../../../src/event/ack.ts";
import { assert, assertEquals } from "../../../src/testing/assert.ts";
import { CommitQueue } from "./commit.ts";

Deno.test("CommitQueue commits a chunk's offset only when it and every earlier one settled", () => {
  const q = new CommitQueue(10);
  const a = new Ack();
  const b = new Ack();
  q.push(a, 20);
  q.push(b, 30);
  b.release();
  assertEquals(q.advance(), false);
  assertEquals(q.committed, 10);
  a.release();
  assert(q.advance());
  assertEquals(q.committed, 30);
  assertEquals(q.pending, 0);
});

Deno.test("CommitQueue moves at once past positions that need no ack, but not past a waiting one", () => {
  const q = new CommitQueue(0);
  q.push(null, 5);
  assertEquals(q.committed, 5);
  const a = new Ack();
  q.push(a, 9);
  q.push(null, 12);
  q.push(null, 15);
  assertEquals(q.committed, 5);
  assertEquals(q.lastEnd, 15);
  a.release();
  q.advance();
  assertEquals(q.committed, 15);
});

Deno.test("CommitQueue stays correct over many entries (head compaction)", () => {
  const q = new CommitQueue(0);
  const acks: Ack[] = [];
  for (let i = 1; i <= 500; i++) {
    const a = new Ack();
    acks.push(a);
    q.push(a, i);
  }
  for (let i = 0; i < 300; i++) acks[i]!.release();
  q.advance();
  assertEquals(q.committed, 300);
  for (const a of acks) a.release();
  q.advance();
  assertEquals(q.committed, 500);
});
