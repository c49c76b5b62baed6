import { defaultsOf } from "../../../src/config/options.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import { assertEquals, assertThrows } from "../../../src/testing/assert.ts";
import { buildEntries, type EntrySettings, severityOf } from "./entries.ts";
import { stackdriverOptions } from "./options.ts";
import { checkResource, resourceOf } from "./resource.ts";

const K = "logging.googleapis.com";
const settings: EntrySettings = {
  project: "p",
  severityKey: `${K}/severity`,
  traceKey: `${K}/trace`,
  spanIdKey: `${K}/spanId`,
  traceSampledKey: `${K}/traceSampled`,
  logNameKey: `${K}/logName`,
  projectIdKey: `${K}/projectId`,
  labelsKey: `${K}/labels`,
  httpRequestKey: `${K}/http_request`,
  labels: [],
  autoformatTrace: false,
  textPayloadKey: "log",
  k8s: false,
};
const rec = (body: Record<string, unknown>) => ({
  time: new EventTime(1_700_000_000, 123_456_789),
  metadata: {},
  body,
});

Deno.test("buildEntries(): textPayload, logName and project keys, insertId, refused records", () => {
  const b = buildEntries(
    [
      rec({ log: "plain text", [`${K}/logName`]: "app", [`${K}/projectId`]: "other" }),
      rec({ log: "with more", n: 1, [`${K}/insertId`]: "id-1", [`${K}/severity`]: "bogus" }),
      rec({ [`${K}/insertId`]: "" }),
      rec({ [`${K}/labels`]: "not a map" }),
    ],
    "tag.a",
    settings,
  );
  assertEquals(b.entries, [
    {
      textPayload: "plain text",
      logName: "projects/other/logs/app",
      timestamp: "2023-11-14T22:13:20.123456789Z",
    },
    {
      insertId: "id-1",
      jsonPayload: { log: "with more", n: 1 },
      logName: "projects/p/logs/tag.a",
      timestamp: "2023-11-14T22:13:20.123456789Z",
    },
  ]);
  assertEquals(b.items, [0, 1]);
  assertEquals(b.refused.map((r) => r.index), [2, 3]);
});

Deno.test("severityOf() follows Fluent Bit's names", () => {
  assertEquals(
    ["EMERG", "f", "Severe", "warn", "N", "info", "trace", "DEFAULT", "x"].map(severityOf),
    [
      800,
      600,
      500,
      400,
      300,
      200,
      100,
      0,
      undefined,
    ],
  );
});

Deno.test("resources: required keys refused by name; k8s ids read; generic_task labels", () => {
  const o = { ...defaultsOf(stackdriverOptions) };
  assertThrows(() => checkResource({ ...o, resource: "k8s_pod" }), RangeError, "k8s_cluster_name");
  assertThrows(
    () => checkResource({ ...o, resource: "generic_node", location: "l" }),
    RangeError,
    "namespace",
  );
  assertThrows(() => checkResource({ ...o, resource: "aws_ec2" }), RangeError, "expected one of");
  // Any type with resource_labels; $keys read from the first record; project_id added.
  const run = {
    ...o,
    resource: "cloud_run_revision",
    resource_labels: ["service_name=$svc", "location=eu"],
  };
  const labels = checkResource(run);
  assertEquals(
    resourceOf(run, { project: "p", resourceLabels: labels }, [{
      time: new EventTime(1, 0),
      metadata: {},
      body: { svc: "api" },
    }], "t"),
    {
      type: "cloud_run_revision",
      labels: { service_name: "api", location: "eu", project_id: "p" },
    },
  );
  // Required labels missing: not used, with a warning; the options must then be complete.
  const warned: string[] = [];
  assertThrows(
    () =>
      checkResource(
        { ...o, resource: "k8s_node", resource_labels: ["location=x"] },
        (m) => warned.push(m),
      ),
    RangeError,
    "k8s_cluster_name",
  );
  assertEquals(warned.length, 1);
  const k8s = { ...o, resource: "k8s_node", k8s_cluster_name: "c", k8s_cluster_location: "l" };
  assertEquals(resourceOf(k8s, { project: "p" }, [], "k8s_node.node-1.zone"), {
    type: "k8s_node",
    labels: { project_id: "p", location: "l", cluster_name: "c", node_name: "node-1.zone" },
  });
  assertEquals("error" in resourceOf(k8s, { project: "p" }, [], "kube.x"), true);
  const task = {
    ...o,
    resource: "generic_task",
    job: "j",
    task_id: "t",
    location: "l",
    namespace: "n",
  };
  assertEquals(resourceOf(task, { project: "p" }, [], "x"), {
    type: "generic_task",
    labels: { job: "j", task_id: "t", project_id: "p", location: "l", namespace: "n" },
  });
});

Deno.test("k8s_container labels from a kubernetes tail tag by custom_k8s_regex", () => {
  const o = {
    ...defaultsOf(stackdriverOptions),
    resource: "k8s_container",
    k8s_cluster_name: "c",
    k8s_cluster_location: "l",
    tag_prefix: "kube.var.log.containers.",
  };
  const tag = `kube.var.log.containers.web-7d4_shop_nginx-${"a".repeat(64)}.log`;
  assertEquals(resourceOf(o, { project: "p" }, [], tag), {
    type: "k8s_container",
    labels: {
      project_id: "p",
      location: "l",
      cluster_name: "c",
      namespace_name: "shop",
      pod_name: "web-7d4",
      container_name: "nginx",
    },
  });
  assertThrows(
    () => checkResource({ ...o, custom_k8s_regex: "(?<a>" }),
    RangeError,
    "Cannot compile regex",
  );
});
