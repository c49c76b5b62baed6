/** The processes collector (opt-in): process and thread states from `<procfs>/<pid>/stat`. */
import type { HostFiles } from "../host_files.ts";
import type { Collector } from "./types.ts";

const STATES = ["R", "S", "D", "Z", "T", "I"] as const;

/** The state letter of a `stat` line: the field after the command's closing parenthesis. */
function stateOf(stat: string): string | undefined {
  const close = stat.lastIndexOf(")");
  return close < 0 ? undefined : stat.slice(close + 2, close + 3);
}

function count(files: HostFiles, dir: string, into: Map<string, number>): number {
  let n = 0;
  for (const id of files.list("processes", dir).filter((n) => /^\d+$/.test(n))) {
    const text = readQuiet(`${dir}/${id}/stat`); // a process may exit while we read
    if (text === undefined) continue;
    const s = stateOf(text);
    if (!s) {
      files.bad("processes", "stat", text);
      continue;
    }
    into.set(s, (into.get(s) ?? 0) + 1);
    n++;
  }
  return n;
}

function readQuiet(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

/** node_processes_{pids,threads,max_processes,max_threads,state,threads_state}. */
export const processes: Collector = {
  name: "processes",
  update({ files }, out) {
    const proc = files.procfs;
    const states = new Map<string, number>();
    const threadStates = new Map<string, number>();
    let threads = 0;
    let pids = 0;
    for (const pid of files.list("processes", proc).filter((n) => /^\d+$/.test(n))) {
      const text = readQuiet(`${proc}/${pid}/stat`);
      const s = text === undefined ? undefined : stateOf(text);
      if (!s) continue;
      pids++;
      states.set(s, (states.get(s) ?? 0) + 1);
      threads += count(files, `${proc}/${pid}/task`, threadStates);
    }
    out.gauge("node_processes_threads", "Allocated threads in system", threads);
    const maxThreads = files.number("processes", `${proc}/sys/kernel/threads-max`);
    if (maxThreads !== undefined) {
      out.gauge("node_processes_max_threads", "Limit of threads in the system", maxThreads);
    }
    for (const s of STATES) {
      out.gauge(
        "node_processes_threads_state",
        "Number of threads in each state.",
        threadStates.get(s) ?? 0,
        { thread_state: s },
      );
    }
    for (const s of STATES) {
      out.gauge("node_processes_state", "Number of processes in each state.", states.get(s) ?? 0, {
        state: s,
      });
    }
    out.gauge("node_processes_pids", "Number of PIDs", pids);
    const maxPids = files.number("processes", `${proc}/sys/kernel/pid_max`);
    if (maxPids !== undefined) {
      out.gauge("node_processes_max_processes", "Number of max PIDs limit", maxPids);
    }
  },
};
