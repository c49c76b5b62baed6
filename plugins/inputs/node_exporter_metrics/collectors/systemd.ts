/**
 * The systemd collector through `systemctl` (Fluent Bit asks systemd over D-Bus; sluice has
 * no D-Bus client, so it reads the same unit list from systemctl's output): unit states, unit
 * counts, the running state and the version. Where systemd is not the init system, the
 * collector logs that once and adds nothing.
 */
import type { Families } from "../families.ts";
import type { Collector } from "./types.ts";

const UNIT_STATES = ["activating", "active", "deactivating", "failed", "inactive"] as const;

async function systemctl(args: string[]): Promise<{ ok: boolean; text: string }> {
  try {
    const r = await new Deno.Command("systemctl", { args, stdout: "piped", stderr: "piped" })
      .output();
    const text = new TextDecoder().decode(r.success ? r.stdout : r.stderr);
    return { ok: r.success, text };
  } catch (e) {
    return { ok: false, text: (e as Error).message };
  }
}

/** Adds the unit metrics of `systemctl list-units --all --plain --no-legend` output. */
export function addUnits(
  text: string,
  out: Families,
  filter: { include?: RegExp; exclude?: RegExp },
): void {
  const counts = new Map<string, number>();
  for (const line of text.split("\n")) {
    const [name, , active] = line.trim().split(/\s+/);
    if (!name || !active || name === "●") continue;
    if (filter.include && !filter.include.test(name)) continue;
    if (filter.exclude?.test(name)) continue;
    const type = name.slice(name.lastIndexOf(".") + 1);
    counts.set(active, (counts.get(active) ?? 0) + 1);
    for (const state of UNIT_STATES) {
      out.gauge(
        "node_systemd_unit_state",
        "Systemd unit",
        state === active ? 1 : 0,
        { name, state, type },
      );
    }
  }
  for (const state of UNIT_STATES) {
    out.gauge("node_systemd_units", "Summary of systemd unit states", counts.get(state) ?? 0, {
      state,
    });
  }
}

/** node_systemd_{unit_state,units,system_running,version}. */
export const systemd: Collector = {
  name: "systemd",
  async update({ files, settings }, out) {
    // sd_booted(): systemd runs as init when this directory exists; else no systemctl spawn
    try {
      Deno.statSync("/run/systemd/system");
    } catch {
      files.unavailable("systemd", "systemd is not the init system (no /run/systemd/system)");
      return;
    }
    const units = await systemctl([
      "list-units",
      "--all",
      "--plain",
      "--no-legend",
      "--no-pager",
      "--full",
    ]);
    if (!units.ok) {
      files.bad("systemd", "read", `systemctl list-units: ${units.text.trim().split("\n")[0]}`);
      return;
    }
    addUnits(units.text, out, {
      include: settings.systemdInclude,
      exclude: settings.systemdExclude,
    });
    const running = await systemctl(["is-system-running"]);
    out.gauge(
      "node_systemd_system_running",
      "Whether the system is operational (see 'systemctl is-system-running')",
      running.text.trim() === "running" ? 1 : 0,
    );
    const version = await systemctl(["--version"]);
    const m = version.text.match(/^systemd (\d+)(?: \(([^)]+)\))?/);
    if (m) {
      out.gauge("node_systemd_version", "Detected systemd version", Number(m[1]), {
        version: m[2] ?? m[1]!,
      });
    }
  },
};
