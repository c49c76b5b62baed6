import { assertEquals, assertStringIncludes } from "../testing/assert.ts";
import type { ReloadResult } from "./reload.ts";
import { startHarness } from "./_testing.ts";

/** A harness whose reload signals `started` and then waits for `gate`. */
async function startGatedHarness() {
  const gate = Promise.withResolvers<ReloadResult>();
  const started = Promise.withResolvers<void>();
  const h = await startHarness({
    reload: () => {
      started.resolve();
      return gate.promise;
    },
  });
  return { h, gate, started };
}

Deno.test("GET /api/v2/reload reports the hot reload count", async () => {
  let count = 0;
  const h = await startHarness({ reloadCount: () => count });
  try {
    assertEquals(await (await h.get("/api/v2/reload")).text(), '{"hot_reload_count":0}');
    count = 3;
    assertEquals(await (await h.get("/api/v2/reload")).json(), { hot_reload_count: 3 });
  } finally {
    await h.close();
  }
});

Deno.test("POST and PUT /api/v2/reload run the reload and answer done", async () => {
  let calls = 0;
  const reload = (): Promise<ReloadResult> => {
    calls++;
    return Promise.resolve({ ok: true, message: "reloaded" });
  };
  const h = await startHarness({ reload });
  try {
    for (const method of ["POST", "PUT"]) {
      const res = await h.get("/api/v2/reload", { method, body: "{}" });
      assertEquals(res.status, 200);
      assertEquals(await res.text(), '{"reload":"done","status":0}');
    }
    assertEquals(calls, 2);
  } finally {
    await h.close();
  }
});

Deno.test("POST /api/v2/reload answers 400 with the reason when the reload fails", async () => {
  const h = await startHarness({
    reload: () => Promise.resolve({ ok: false, message: 'Unknown key "flsuh"' }),
  });
  try {
    const res = await h.get("/api/v2/reload", { method: "POST", body: "{}" });
    assertEquals(res.status, 400);
    assertEquals(await res.json(), {
      reload: "failed",
      status: -3,
      message: 'Unknown key "flsuh"',
    });
  } finally {
    await h.close();
  }
  const throwing = await startHarness({ reload: () => Promise.reject(new Error("boom")) });
  try {
    const res = await throwing.get("/api/v2/reload", { method: "POST" });
    assertEquals(res.status, 400);
    assertEquals((await res.json()).message, "boom");
    assertStringIncludes(throwing.lines.join(""), "hot reload failed: boom");
  } finally {
    await throwing.close();
  }
});

Deno.test("POST /api/v2/reload answers in progress while another reload runs", async () => {
  const { h, gate, started } = await startGatedHarness();
  try {
    const first = h.get("/api/v2/reload", { method: "POST", body: "{}" });
    await started.promise;
    const second = await h.get("/api/v2/reload", { method: "PUT", body: "{}" });
    assertEquals(second.status, 400);
    assertEquals(await second.json(), { reload: "in progress", status: -2 });
    gate.resolve({ ok: true, message: "" });
    assertEquals(await (await first).json(), { reload: "done", status: 0 });
  } finally {
    await h.close();
  }
});

Deno.test("POST /api/v2/reload without hot reload answers Fluent Bit's not enabled", async () => {
  const h = await startHarness();
  try {
    const res = await h.get("/api/v2/reload", { method: "POST", body: "{}" });
    assertEquals(res.status, 200);
    assertEquals(await res.text(), '{"reload":"not enabled","status":-1}');
  } finally {
    await h.close();
  }
});

Deno.test("other methods on /api/v2/reload answer 405", async () => {
  const h = await startHarness({ reload: () => Promise.resolve({ ok: true, message: "" }) });
  try {
    const res = await h.get("/api/v2/reload", { method: "DELETE" });
    assertEquals(res.status, 405);
    assertEquals(res.headers.get("allow"), "GET, POST, PUT");
    await res.body?.cancel();
  } finally {
    await h.close();
  }
});

Deno.test("close() during a reload answers the reload request instead of waiting for it", async () => {
  const { h, gate, started } = await startGatedHarness();
  const pending = h.get("/api/v2/reload", { method: "POST", body: "{}" });
  await started.promise;
  await h.close(); // the engine replacing its pipeline from inside the reload
  const res = await pending;
  assertEquals(res.status, 202);
  assertEquals(await res.json(), { reload: "accepted", status: 0 });
  gate.resolve({ ok: true, message: "" });
});
