/**
 * The footprint rows of `deno task bench:compare`: the idle cost of one tail input into
 * null (RSS, and CPU seconds over `BENCH_IDLE_SECONDS`), and the time from spawn until an
 * OTLP/HTTP port accepts connections.
 */
import type { CompareRow } from "./compare_row.ts";
import { NULL_OUTPUT, pipeline, service, tailInput } from "./compare_config.ts";
import { freePort, processCpuSeconds, processMemoryMb } from "./measure.ts";

const IDLE_SECONDS = Number(Deno.env.get("BENCH_IDLE_SECONDS") ?? 10);

function spawn(cmd: string[]): Deno.ChildProcess {
  return new Deno.Command(cmd[0]!, { args: cmd.slice(1), stdout: "null", stderr: "null" })
    .spawn();
}

function idleRow(): CompareRow {
  return {
    name: "idle, one tail input -> null",
    note: `RSS at the end and CPU-s over ${IDLE_SECONDS} s, from 1 s after spawn`,
    async run(side, ctx) {
      const log = `${ctx.dir}/idle.log`;
      await Deno.writeTextFile(log, "");
      const path = `${ctx.dir}/idle.yaml`;
      await Deno.writeTextFile(path, service() + pipeline(tailInput(log), NULL_OUTPUT));
      const child = spawn(side.cmd(path));
      try {
        await new Promise((r) => setTimeout(r, 1000));
        const before = await processCpuSeconds(child.pid);
        await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
        const cpu = (await processCpuSeconds(child.pid)) - before;
        return { cpu, rssMb: (await processMemoryMb(child.pid)).rss };
      } finally {
        child.kill("SIGTERM");
        await child.status;
      }
    },
  };
}

async function accepts(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

function spawnToPortRow(): CompareRow {
  return {
    name: "spawn to OTLP port accepting",
    note: "opentelemetry input -> null; RSS when the port first accepts",
    async run(side, ctx) {
      const port = freePort();
      const input = [
        "    - name: opentelemetry",
        "      listen: 127.0.0.1",
        `      port: ${port}`,
      ].map((l) => l + "\n").join("");
      const path = `${ctx.dir}/otlp_port.yaml`;
      await Deno.writeTextFile(path, service() + pipeline(input, NULL_OUTPUT));
      const started = performance.now();
      const child = spawn(side.cmd(path));
      try {
        while (!(await accepts(port))) {
          if (performance.now() - started > 30_000) return { problem: "port never accepted" };
          await new Promise((r) => setTimeout(r, 2));
        }
        const wall = (performance.now() - started) / 1000;
        return { wall, rssMb: (await processMemoryMb(child.pid)).rss };
      } finally {
        child.kill("SIGTERM");
        await child.status;
      }
    },
  };
}

/** The footprint rows, in table order. */
export function startRows(): CompareRow[] {
  return [idleRow(), spawnToPortRow()];
}
