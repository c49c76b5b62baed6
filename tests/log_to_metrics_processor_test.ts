/**
 * log_to_metrics from the CLI beside Fluent Bit 4.2.8, the text the stdout output prints:
 * as an output's processor (its metrics go to the outputs their tag matches, as Fluent Bit
 * sends them), and in kubernetes_mode (the pod labels first, in Fluent Bit's order).
 */
import { assertEquals } from "../src/testing/assert.ts";
import { runSluice, tempDirWith } from "./_helpers.ts";
import { fluentBitMetricLines, metricLines } from "./_metrics_helpers.ts";

function outputProcessorConfig(): string {
  return `service:
  flush: 1
  log_level: info
pipeline:
  inputs:
    - name: dummy
      dummy: '{"status": "200", "latency": 12.5, "path": "/a"}'
      samples: 2
      tag: app
  outputs:
    - name: stdout
      match: app
      processors:
        logs:
          - name: log_to_metrics
            tag: m.count
            metric_name: requests
            metric_description: Requests by status
            label_field: status
    - name: stdout
      match: m.*
`;
}

Deno.test({
  name: "log_to_metrics as an output's processor sends its metrics, as Fluent Bit",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const dir = await tempDirWith({ "op.yaml": outputProcessorConfig() });
  try {
    const ours = await runSluice(["-c", `${dir}/op.yaml`], { timeoutMs: 30_000 });
    assertEquals(ours.code, 0, ours.stderr);
    const mine = metricLines(ours.stdout);
    assertEquals(mine, [
      'log_metric_counter_requests{status="200"} = 1',
      'log_metric_counter_requests{status="200"} = 2',
    ]);
    assertEquals(ours.stdout.split('"status"=>"200"').length - 1, 2, "the records printed too");
    const theirs = await fluentBitMetricLines(`${dir}/op.yaml`, 2, "Fluent Bit's two snapshots");
    if (theirs === null) return;
    assertEquals(mine, theirs, "the same text as Fluent Bit");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const K8S = `service:
  flush: 1
  log_level: info
pipeline:
  inputs:
    - name: dummy
      dummy: '{"status": "200", "latency": 2, "kubernetes": {"namespace_name": "ns", "pod_name": "p1", "container_name": "c", "docker_id": "d", "pod_id": "id"}}'
      samples: 2
      tag: app
  filters:
    - name: log_to_metrics
      match: app
      tag: m.k8s
      metric_name: pods
      metric_description: Pods
      kubernetes_mode: on
      label_field: status
    - name: log_to_metrics
      match: app
      tag: m.k8sh
      metric_mode: histogram
      metric_name: lat
      metric_description: Lat
      value_field: latency
      kubernetes_mode: on
      bucket: [1, 5]
  outputs:
    - name: stdout
      match: m.*
`;

Deno.test({
  name: "log_to_metrics kubernetes_mode -> stdout prints Fluent Bit's labels in its order",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const dir = await tempDirWith({ "k8s.yaml": K8S });
  try {
    const ours = await runSluice(["-c", `${dir}/k8s.yaml`], { timeoutMs: 30_000 });
    assertEquals(ours.code, 0, ours.stderr);
    const mine = metricLines(ours.stdout);
    const pod = 'namespace_name="ns",pod_name="p1",container_name="c",docker_id="d",pod_id="id"';
    assertEquals(mine.slice(-2), [
      `log_metric_counter_pods{${pod},status="200"} = 2`,
      `log_metric_histogram_lat{${pod}} = { buckets = { 1=0, 5=2, +Inf=2 }, sum=4, count=2 }`,
    ]);
    const theirs = await fluentBitMetricLines(`${dir}/k8s.yaml`, 4, "Fluent Bit's two snapshots");
    if (theirs === null) return;
    assertEquals(mine, theirs.slice(0, 4), "the same text as Fluent Bit");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
