import { assert, assertEquals, assertStringIncludes } from "../../../src/testing/assert.ts";
import { DOCKER_ID, filterFor, fixtureApi, kubeTag, run } from "./_testing.ts";

const line = { log: "Fluent Bit is logging\n", stream: "stdout" };

// Fluent Bit 4.2.8's expected record for this pod (tests/runtime/data/kubernetes/out/core/core_base_fluent-bit.out).
const CORE_BASE =
  '{"log":"Fluent Bit is logging\\n","stream":"stdout","kubernetes":{"pod_name":"base","namespace_name":"core","pod_id":"e9f2963f-55f2-11e9-84c5-02e422b8a84a","labels":{"app.kubernetes.io/name":"fluent-bit"},"annotations":{"prometheus.io/path":"/api/v1/metrics/prometheus","prometheus.io/port":"2020","prometheus.io/scrape":"true"},"host":"ip-10-49-18-80.eu-west-1.compute.internal","pod_ip":"100.116.192.42","container_name":"fluent-bit","docker_id":"c9898099f6d235126d564ed38a020007ea7a6fac6e25e718de683c9dd0076c16","container_hash":"fluent/fluent-bit@sha256:7ac0fd3569af866e9a6a22eb592744200d2dbe098cf066162453f8d0b06c531f","container_image":"fluent/fluent-bit:latest"}}';

Deno.test("kubernetes adds the pod map Fluent Bit builds, over HTTPS with the CA and token", async () => {
  const api = await fixtureApi();
  const { filter } = filterFor(api);
  try {
    const [body] = await run(filter, kubeTag("base", "core", "fluent-bit"), [{ ...line }]);
    assertEquals(JSON.stringify(body), CORE_BASE);
    assertEquals(api.requests.map((r) => [r.path, r.authorization]), [
      ["/api/v1/namespaces/core/pods/base", "Bearer test-token"],
    ]);
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes fetches a pod once and answers later chunks from the cache", async () => {
  const api = await fixtureApi();
  const { filter, ctx } = filterFor(api);
  try {
    for (let i = 0; i < 5; i++) {
      const out = await run(filter, kubeTag("base", "core", "fluent-bit"), [{ ...line }]);
      assertEquals((out[0]?.kubernetes as Record<string, unknown>).pod_name, "base");
    }
    assertEquals(api.requests.length, 1);
    const labels = { name: "kubernetes.0" };
    assertEquals(ctx.metrics.value("sluice_filter_kubernetes_cache_hits_total", labels), 4);
    assertEquals(ctx.metrics.value("sluice_filter_kubernetes_cache_entries", labels), 1);
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes merge_log merges JSON, trims, drops log with keep_log off", async () => {
  const api = await fixtureApi();
  const { filter } = filterFor(api, {
    merge_log: true,
    keep_log: false,
    labels: false,
    annotations: false,
  });
  try {
    const [a, b] = await run(filter, kubeTag("base", "core", "fluent-bit"), [
      { log: '{"lvl":"info","msg":"ok\\n"}\n', stream: "stdout" },
      { log: "not json\n", stream: "stdout" },
    ]);
    const { kubernetes: _k, ...rest } = a!;
    assertEquals(JSON.stringify(rest), '{"stream":"stdout","lvl":"info","msg":"ok"}');
    assertEquals(b!.log, "not json\n");
    assert(
      !("labels" in (a!.kubernetes as object)) && !("annotations" in (a!.kubernetes as object)),
    );
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes merge_log_key nests the merged keys and keep_log keeps log", async () => {
  const api = await fixtureApi();
  const { filter } = filterFor(api, {
    merge_log: true,
    merge_log_key: "app",
    merge_log_trim: false,
  });
  try {
    const [a] = await run(filter, kubeTag("base", "core", "fluent-bit"), [
      { log: '{"msg":"ok\\n"}', stream: "stdout" },
    ]);
    assertEquals(a!.app, { msg: "ok\n" });
    assertEquals(a!.log, '{"msg":"ok\\n"}');
  } finally {
    filter.close();
    await api.close();
  }
});

for (const status of [403, 500]) {
  Deno.test(`kubernetes passes records without metadata when the API answers ${status}`, async () => {
    const api = await fixtureApi();
    api.faults.set("/api/v1/namespaces/core/pods/base", { status });
    const { filter, ctx } = filterFor(api, { merge_log: true });
    try {
      const out = await run(filter, kubeTag("base", "core", "fluent-bit"), [
        { log: '{"a":1}', stream: "stdout" },
        { log: "two", stream: "stdout" },
      ]);
      assertEquals(out, [{ log: '{"a":1}', stream: "stdout", a: 1 }, {
        log: "two",
        stream: "stdout",
      }]);
      const labels = { name: "kubernetes.0", reason: "failed" };
      assertEquals(
        ctx.metrics.value("sluice_filter_kubernetes_records_without_metadata_total", labels),
        2,
      );
      assertEquals(
        ctx.metrics.value("sluice_filter_kubernetes_api_requests_total", {
          name: "kubernetes.0",
          result: String(status),
        }),
        1,
      );
      assert(ctx.logLines.some((l) => l.includes(`HTTP ${status}`) && l.includes("pod core/base")));
    } finally {
      filter.close();
      await api.close();
    }
  });
}

Deno.test("kubernetes logs a pod the API does not know and passes its records", async () => {
  const api = await fixtureApi();
  const { filter, ctx } = filterFor(api);
  try {
    const out = await run(filter, kubeTag("ghost", "core", "app"), [{ ...line }]);
    assertEquals(out, [{ ...line }]);
    const warned = ctx.logLines.find((l) => l.includes("pod core/ghost"));
    assert(warned !== undefined, ctx.logLines.join("\n"));
    assertStringIncludes(warned, "HTTP 404");
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes waits a bounded time for a slow API, then the answer fills the cache", async () => {
  const api = await fixtureApi();
  api.faults.set("/api/v1/namespaces/core/pods/base", { delayMs: 800 });
  const { filter, ctx } = filterFor(api, {}, { waitMs: 100 });
  const tag = kubeTag("base", "core", "fluent-bit");
  try {
    const first = await run(filter, tag, [{ ...line }]);
    assertEquals(first, [{ ...line }]);
    const labels = { name: "kubernetes.0", reason: "timeout" };
    assertEquals(
      ctx.metrics.value("sluice_filter_kubernetes_records_without_metadata_total", labels),
      1,
    );
    let body: Record<string, unknown> | undefined;
    for (let i = 0; i < 100 && !body?.kubernetes; i++) {
      await new Promise((r) => setTimeout(r, 50));
      [body] = await run(filter, tag, [{ ...line }]);
    }
    assertEquals(
      (body?.kubernetes as Record<string, unknown>).pod_id,
      "e9f2963f-55f2-11e9-84c5-02e422b8a84a",
    );
    assertEquals(api.requests.length, 1);
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes passes records when the API is down, without waiting on every chunk", async () => {
  const api = await fixtureApi();
  const url = api.url;
  const { filter, ctx } = filterFor({ ...api, url: url.replace(/:\d+$/, ":1") });
  try {
    for (let i = 0; i < 3; i++) {
      assertEquals(await run(filter, kubeTag("base", "core", "fluent-bit"), [{ ...line }]), [{
        ...line,
      }]);
    }
    const failed = ctx.metrics.value("sluice_filter_kubernetes_records_without_metadata_total", {
      name: "kubernetes.0",
      reason: "failed",
    });
    const backoff = ctx.metrics.value("sluice_filter_kubernetes_records_without_metadata_total", {
      name: "kubernetes.0",
      reason: "backoff",
    });
    assertEquals([failed, backoff], [1, 2]);
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes re-reads a rotated token after a 401", async () => {
  const api = await fixtureApi();
  const { filter } = filterFor(api);
  try {
    await run(filter, kubeTag("base", "core", "fluent-bit"), [{ ...line }]);
    api.setToken("rotated");
    await Deno.writeTextFile(api.tokenFile, "rotated");
    const [body] = await run(filter, kubeTag("base", "core", "other"), [{ ...line }]);
    assertEquals((body!.kubernetes as Record<string, unknown>).pod_name, "base");
    const auths = api.requests.map((r) => r.authorization);
    assertEquals(auths[0], "Bearer test-token");
    assertEquals(auths.at(-1), "Bearer rotated");
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes leaves chunks whose tag is no container log untouched", async () => {
  const api = await fixtureApi();
  const { filter, ctx } = filterFor(api);
  try {
    assertEquals(await run(filter, "kube.var.log.containers.nonsense.log", [{ ...line }]), [{
      ...line,
    }]);
    assertEquals(await run(filter, "kube.x", [{ ...line }]), [{ ...line }]);
    assertEquals(api.requests.length, 0);
    assert(ctx.logLines.some((l) => l.includes("invalid pattern for given tag")));
    assert(ctx.logLines.some((l) => l.includes("shorter than kube_tag_prefix")));
    assertEquals(
      ctx.metrics.value("sluice_filter_kubernetes_untouched_records_total", {
        name: "kubernetes.0",
      }),
      2,
    );
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes use_kubelet finds the pod in the kubelet's /pods", async () => {
  const api = await fixtureApi();
  const { filter } = filterFor(api, { use_kubelet: true, kubelet_port: api.port });
  try {
    const [body] = await run(filter, kubeTag("base", "core", "fluent-bit"), [{ ...line }]);
    assertEquals(JSON.stringify(body), CORE_BASE);
    assertEquals(api.requests.map((r) => r.path), ["/pods"]);
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes adds namespace labels and annotations under kubernetes_namespace", async () => {
  const api = await fixtureApi();
  const { filter } = filterFor(api, { namespace_labels: true, namespace_annotations: true });
  try {
    const [body] = await run(filter, kubeTag("base", "core", "fluent-bit"), [{ ...line }]);
    assertEquals(
      JSON.stringify(body!.kubernetes_namespace),
      JSON.stringify({
        name: "core",
        labels: { "fake-namespace-label1": "label1", "fake-namespace-label2": "label2" },
        annotations: { "fake-annotation1": "test1", "fake-annotation2": "test2" },
      }),
    );
    assertEquals(Object.keys(body!).at(-1), "kubernetes_namespace");
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes use_tag_for_meta builds the map from the tag alone", async () => {
  const api = await fixtureApi();
  const { filter } = filterFor(api, { use_tag_for_meta: true });
  try {
    const [body] = await run(filter, kubeTag("base", "core", "fluent-bit"), [{ ...line }]);
    assertEquals(body!.kubernetes, {
      pod_name: "base",
      namespace_name: "core",
      container_name: "fluent-bit",
      docker_id: DOCKER_ID,
    });
    assertEquals(api.requests.length, 0);
  } finally {
    filter.close();
    await api.close();
  }
});
