/**
 * The host input cases the Fluent Bit comparison runs (same `-i NAME -p K=V` on both sides),
 * and the key/type shape of a record they compare: keys with CPU numbers and the interface
 * name folded (`cpuN.p_cpu`, `IFACE.rx.bytes`), each with its JSON type.
 */

/** One case: a name for the golden file and the quick-mode input arguments. */
export interface HostCase {
  name: string;
  args: string[];
}

/** The cases; `IFACE` and `PROC` are filled in with this host's first interface and PID 1's name. */
export const HOST_CASES: HostCase[] = [
  { name: "cpu", args: ["-i", "cpu"] },
  { name: "cpu_pid", args: ["-i", "cpu", "-p", "pid=1"] },
  { name: "mem", args: ["-i", "mem"] },
  { name: "mem_pid", args: ["-i", "mem", "-p", "pid=1"] },
  { name: "disk", args: ["-i", "disk"] },
  { name: "netif", args: ["-i", "netif", "-p", "interface=IFACE"] },
  { name: "netif_verbose", args: ["-i", "netif", "-p", "interface=IFACE", "-p", "verbose=true"] },
  { name: "proc", args: ["-i", "proc", "-p", "proc_name=PROC"] },
  {
    name: "proc_dead_alert",
    args: ["-i", "proc", "-p", "proc_name=no-such-proc", "-p", "alert=true"],
  },
];

/** This host's first non-loopback interface in /proc/net/dev (lo when there is none). */
export function firstInterface(): string {
  const lines = Deno.readTextFileSync("/proc/net/dev").split("\n").slice(2);
  const names = lines.map((l) => l.split(":")[0]!.trim()).filter((n) => n !== "");
  return names.find((n) => n !== "lo") ?? "lo";
}

/** PID 1's command basename (what in_proc matches proc_name against). */
export function pidOneName(): string {
  const cmd = Deno.readTextFileSync("/proc/1/cmdline").split("\0")[0] ?? "";
  return cmd.slice(cmd.lastIndexOf("/") + 1);
}

/** The case's arguments with IFACE and PROC filled in. */
export function caseArgs(c: HostCase): string[] {
  const iface = firstInterface();
  const proc = pidOneName();
  return c.args.map((a) => a.replace("IFACE", iface).replace("PROC", proc));
}

/** The shape of a JSON-lines record: folded key -> JSON type, in key order. */
export function shape(line: string): Record<string, string> {
  const body = JSON.parse(line) as Record<string, unknown>;
  const iface = firstInterface();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    const key = k.replace(/^cpu\d+\./, "cpuN.").replace(new RegExp(`^${iface}\\.`), "IFACE.");
    out[key] = v === null ? "null" : typeof v;
  }
  return out;
}
