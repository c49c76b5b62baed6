import { assertEquals } from "../../../src/testing/assert.ts";
import { ApiHealth, type Fetched, Lookups } from "./lookups.ts";

function counted(result: () => Fetched<string>) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    load: () => {
      calls++;
      return Promise.resolve(result());
    },
  };
}

Deno.test("Lookups asks once for concurrent chunks of one pod", async () => {
  const l = new Lookups<string>({ capacity: 4, ttlSeconds: 0, waitMs: 1000 }, new ApiHealth());
  const f = counted(() => ({ ok: true, value: "meta" }));
  const got = await Promise.all([1, 2, 3].map(() => l.get("ns:pod", f.load, () => {})));
  assertEquals([got, f.calls], [["meta", "meta", "meta"], 1]);
});

Deno.test("Lookups backs off a failed pod, then asks again", async () => {
  let now = 0;
  const l = new Lookups<string>(
    { capacity: 4, ttlSeconds: 0, waitMs: 1000, now: () => now },
    new ApiHealth(),
  );
  let ok = false;
  const f = counted(() =>
    ok ? { ok: true, value: "meta" } : { ok: false, reason: "HTTP 403", unreachable: false }
  );
  const reasons: string[] = [];
  assertEquals(await l.get("k", f.load, (r) => reasons.push(r)), "failed");
  assertEquals(await l.get("k", f.load, () => {}), "backoff");
  ok = true;
  now = 1001;
  assertEquals(await l.get("k", f.load, () => {}), "meta");
  assertEquals([f.calls, reasons], [2, ["HTTP 403"]]);
});

Deno.test("Lookups fetches again after kube_meta_cache_ttl", async () => {
  let now = 0;
  const l = new Lookups<string>(
    { capacity: 4, ttlSeconds: 60, waitMs: 1000, now: () => now },
    new ApiHealth(),
  );
  const f = counted(() => ({ ok: true, value: "meta" }));
  await l.get("k", f.load, () => {});
  now = 59_000;
  await l.get("k", f.load, () => {});
  now = 61_000;
  await l.get("k", f.load, () => {});
  assertEquals(f.calls, 2);
});

Deno.test("Lookups lets no pod wait while the API is unreachable", async () => {
  let now = 0;
  const health = new ApiHealth();
  const l = new Lookups<string>(
    { capacity: 4, ttlSeconds: 0, waitMs: 1000, now: () => now },
    health,
  );
  const f = counted(() => ({ ok: false, reason: "connection refused", unreachable: true }));
  assertEquals(await l.get("a", f.load, () => {}), "failed");
  assertEquals(await l.get("b", f.load, () => {}), "backoff");
  now = 1001;
  assertEquals(await l.get("b", f.load, () => {}), "failed");
  assertEquals(f.calls, 2);
});
