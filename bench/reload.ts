/**
 * Hot reload time: `POST /api/v2/reload` to its answer, which comes once the new pipeline
 * runs, for the example config and for a 50-plugin config (10 inputs, 30 filters, 10 outputs),
 * ten reloads each; prints the median and the slowest.
 *
 *   deno task bench:reload
 */
import { freePort, loadAverage, sluiceCommand, waitListening } from "./measure.ts";

const root = new URL("../", import.meta.url).pathname;

function bigConfig(port: number): string {
  let text =
    `service:\n  flush: 1\n  log_level: error\n  http_server: on\n  http_listen: 127.0.0.1\n` +
    `  http_port: ${port}\n  hot_reload: on\npipeline:\n  inputs:\n`;
  for (let i = 0; i < 10; i++) {
    text += `    - name: dummy\n      tag: app.${i}\n      rate: 10\n`;
  }
  text += "  filters:\n";
  for (let i = 0; i < 30; i++) {
    text += `    - name: modify\n      match: app.${i % 10}\n      add: f${i} v${i}\n`;
  }
  text += "  outputs:\n";
  for (let i = 0; i < 10; i++) text += `    - name: "null"\n      match: app.${i}\n`;
  return text;
}

async function timeReloads(name: string, config: string, port: number): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sluice_bench_reload_" });
  const file = `${dir}/sluice.yaml`;
  await Deno.writeTextFile(file, config);
  const { cmd } = await sluiceCommand();
  const child = new Deno.Command(cmd[0]!, {
    args: [...cmd.slice(1), "-c", file],
    stdout: "null",
    stderr: "null",
  }).spawn();
  await waitListening(port, "/api/v2/reload");
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const began = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/api/v2/reload`, { method: "POST" });
    const body = await res.json();
    if (body.reload !== "done") throw new Error(`reload ${i}: ${JSON.stringify(body)}`);
    times.push(performance.now() - began);
  }
  child.kill("SIGTERM");
  await child.status;
  await Deno.remove(dir, { recursive: true });
  times.sort((a, b) => a - b);
  const median = times[5]!;
  console.log(
    `${name.padEnd(28)} median ${median.toFixed(0).padStart(5)} ms  slowest ` +
      `${times.at(-1)!.toFixed(0).padStart(5)} ms  (10 reloads, load ${loadAverage()})`,
  );
}

const examplePort = freePort();
const example = (await Deno.readTextFile(`${root}config.example.yaml`))
  .replace("http_port: 2020", `http_port: ${examplePort}`)
  .replace("health_check: on", "health_check: on\n  hot_reload: on");
await timeReloads("config.example.yaml", example, examplePort);
const bigPort = freePort();
await timeReloads("50 plugins", bigConfig(bigPort), bigPort);
