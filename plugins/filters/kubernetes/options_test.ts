import { buildParserRegistry } from "../../../src/parsers/registry.ts";
import { OptionError } from "../../../src/plugin.ts";
import { assert, assertEquals, assertThrows } from "../../../src/testing/assert.ts";
import { startKubeApi } from "../../../src/testing/kube_api.ts";
import { filterFor, fixtureApi, kubeTag, run } from "./_testing.ts";

const parsers = buildParserRegistry([]);

function annotated(annotations: Record<string, string>) {
  return {
    kind: "Pod",
    metadata: { name: "ann", namespace: "core", uid: "u-ann", annotations },
    spec: { nodeName: "n1" },
    status: {},
  };
}

const stdoutLine = { log: '{"a":1}', stream: "stdout" };
const stderrLine = { log: '{"a":2}', stream: "stderr" };
const nginx = '10.0.0.1 - - [04/Dec/2026:10:00:00 +0000] "GET /x HTTP/1.1" 200 5 "-" "curl/8"';

Deno.test("kubernetes fluentbit.io/exclude drops the stream it names, counted", async () => {
  const api = await startKubeApi({ pods: [annotated({ "fluentbit.io/exclude_stderr": "true" })] });
  const { filter, ctx } = filterFor({ ...api }, { "k8s-logging.exclude": true });
  try {
    const out = await run(filter, kubeTag("ann", "core", "app"), [stdoutLine, stderrLine]);
    assertEquals(out.map((b) => b.stream), ["stdout"]);
    assertEquals(
      ctx.metrics.value("sluice_filter_kubernetes_excluded_records_total", {
        name: "kubernetes.0",
      }),
      1,
    );
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes container-specific exclude wins, other containers are kept", async () => {
  const api = await startKubeApi({
    pods: [annotated({ "fluentbit.io/exclude": "true", "fluentbit.io/exclude-keep": "false" })],
  });
  const { filter } = filterFor(api, { "k8s-logging.exclude": true });
  try {
    assertEquals((await run(filter, kubeTag("ann", "core", "app"), [stdoutLine])).length, 0);
    assertEquals((await run(filter, kubeTag("ann", "core", "keep"), [stdoutLine])).length, 1);
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes ignores fluentbit.io/exclude unless k8s-logging.exclude is on, with a warning", async () => {
  const api = await startKubeApi({ pods: [annotated({ "fluentbit.io/exclude": "true" })] });
  const { filter, ctx } = filterFor(api);
  try {
    assertEquals((await run(filter, kubeTag("ann", "core", "app"), [stdoutLine])).length, 1);
    assert(ctx.logLines.some((l) => l.includes("annotation 'fluentbit.io/exclude' not allowed")));
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes fluentbit.io/parser_stdout parses stdout with the named parser", async () => {
  const api = await startKubeApi({ pods: [annotated({ "fluentbit.io/parser_stdout": "nginx" })] });
  const { filter } = filterFor(api, { merge_log: true, "k8s-logging.parser": true }, { parsers });
  try {
    const [a, b] = await run(filter, kubeTag("ann", "core", "app"), [
      { log: nginx, stream: "stdout" },
      { log: '{"a":2}', stream: "stderr" },
    ]);
    assertEquals([a!.path, a!.code, a!.log], ["/x", "200", nginx]);
    assertEquals(b!.a, 2); // stderr: no annotation parser, so JSON
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes warns about an unknown annotation and a parser it does not have", async () => {
  const api = await startKubeApi({
    pods: [annotated({ "fluentbit.io/colour": "red", "fluentbit.io/parser": "missing" })],
  });
  const { filter, ctx } = filterFor(api, { "k8s-logging.parser": true }, { parsers });
  try {
    assertEquals((await run(filter, kubeTag("ann", "core", "app"), [stdoutLine])).length, 1);
    assert(ctx.logLines.some((l) => l.includes("unknown annotation 'fluentbit.io/colour'")));
    assert(ctx.logLines.some((l) => l.includes("annotation parser 'missing' not found")));
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes merge_parser parses log instead of JSON; a map log merges directly", async () => {
  const api = await fixtureApi();
  const { filter } = filterFor(api, { merge_log: true, merge_parser: "logfmt" }, { parsers });
  try {
    const [a, b] = await run(filter, kubeTag("base", "core", "fluent-bit"), [
      { log: "level=warn msg=slow" },
      { log: { nested: true } },
    ]);
    assertEquals([a!.level, a!.msg], ["warn", "slow"]);
    assertEquals([b!.nested, b!.log], [true, { nested: true }]);
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes refuses a pod answer larger than buffer_size and says how to fix it", async () => {
  const api = await fixtureApi();
  const { filter, ctx } = filterFor(api, { buffer_size: 512 });
  try {
    const [body] = await run(filter, kubeTag("base", "core", "fluent-bit"), [{ log: "x" }]);
    assertEquals(body, { log: "x" });
    assert(
      ctx.logLines.some((l) => l.includes("larger than buffer_size")),
      ctx.logLines.join("\n"),
    );
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes cache_use_docker_id fetches again for a new container id", async () => {
  const api = await fixtureApi();
  const { filter } = filterFor(api, { cache_use_docker_id: true });
  try {
    await run(filter, kubeTag("base", "core", "fluent-bit", "1".repeat(64)), [{ log: "x" }]);
    await run(filter, kubeTag("base", "core", "fluent-bit", "1".repeat(64)), [{ log: "x" }]);
    await run(filter, kubeTag("base", "core", "fluent-bit", "2".repeat(64)), [{ log: "x" }]);
    assertEquals(api.requests.length, 2);
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes keeps at most 256 pods cached", async () => {
  const pods = Array.from({ length: 300 }, (_, i) => ({
    kind: "Pod",
    metadata: { name: `p${i}`, namespace: "core", uid: `u${i}` },
  }));
  const api = await startKubeApi({ pods });
  const { filter, ctx } = filterFor(api);
  try {
    for (let i = 0; i < 300; i++) await run(filter, kubeTag(`p${i}`, "core", "c"), [{ log: "x" }]);
    assertEquals(
      ctx.metrics.value("sluice_filter_kubernetes_cache_entries", { name: "kubernetes.0" }),
      256,
    );
    await run(filter, kubeTag("p0", "core", "c"), [{ log: "x" }]); // evicted: asked again
    assertEquals(api.requests.length, 301);
  } finally {
    filter.close();
    await api.close();
  }
});

Deno.test("kubernetes owner_references, namespace_metadata_only and preload files", async () => {
  const web = JSON.parse(
    await Deno.readTextFile(
      new URL("../../../testdata/kubernetes/pods/shop_web.json", import.meta.url),
    ),
  );
  const api = await fixtureApi([web]);
  const dir = new URL("../../../testdata/kubernetes/api", import.meta.url).pathname;
  const owners = filterFor(api, { owner_references: true });
  const nsOnly = filterFor(api, { namespace_metadata_only: true, namespace_labels: true });
  const preload = filterFor(api, { kube_meta_preload_cache_dir: dir });
  try {
    const [a] = await run(
      owners.filter,
      kubeTag("web-7d4b9c8f6-x2x9z", "shop", "nginx"),
      [{ log: "x" }],
    );
    assert(Array.isArray((a!.kubernetes as Record<string, unknown>).ownerReferences));
    const [b] = await run(nsOnly.filter, kubeTag("base", "core", "fluent-bit"), [{ log: "x" }]);
    assertEquals(b!.kubernetes, undefined);
    assertEquals((b!.kubernetes_namespace as Record<string, unknown>).name, "core");
    const before = api.requests.length;
    const [c] = await run(preload.filter, kubeTag("base", "core", "fluent-bit"), [{ log: "x" }]);
    assertEquals(
      (c!.kubernetes as Record<string, unknown>).pod_id,
      "e9f2963f-55f2-11e9-84c5-02e422b8a84a",
    );
    assertEquals(api.requests.length, before);
  } finally {
    for (const f of [owners, nsOnly, preload]) f.filter.close();
    await api.close();
  }
});

Deno.test("kubernetes refuses a kube_url it cannot use and warns once about unsupported keys", async () => {
  const api = await fixtureApi();
  try {
    const err = assertThrows(() => filterFor({ ...api, url: "kubernetes.default.svc" }));
    assert(err instanceof OptionError && err.key === "kube_url");
    const { filter, ctx } = filterFor(api, { kube_token_command: "cat /token", use_journal: true });
    filter.close();
    assertEquals(ctx.logLines.filter((l) => l.includes("not supported")).length, 2);
  } finally {
    await api.close();
  }
});
