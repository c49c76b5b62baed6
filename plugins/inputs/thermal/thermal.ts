/**
 * The thermal input: every interval, one record per thermal zone (`name`, `type`, `temp` in
 * °C) from `/sys/class/thermal`, or, when there is none, per hwmon temperature sensor
 * (`hwmonN_tempM_input`), as Fluent Bit's `in_thermal` records them.
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import { logRecord, type RecordMap } from "../../../src/event/log_record.ts";
import { intervalMs, ticks } from "../../../src/host/interval.ts";
import type { InputContext, InputInstance } from "../../../src/plugin.ts";
import type { ThermalOptions } from "./options.ts";

function readTrim(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path).trim();
  } catch {
    return undefined;
  }
}

function names(dir: string, prefix: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.startsWith(prefix))
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  } catch {
    return [];
  }
}

/** The temperatures under `sysfs`, filtered by the name and type regexes. */
export function readTemperatures(
  sysfs: string,
  filter: { name?: RegExp; type?: RegExp },
): RecordMap[] {
  const ok = (name: string, type: string) =>
    (!filter.name || filter.name.test(name)) && (!filter.type || filter.type.test(type));
  const out: RecordMap[] = [];
  const zones = `${sysfs}/class/thermal`;
  for (const name of names(zones, "thermal_zone")) {
    const type = readTrim(`${zones}/${name}/type`);
    const temp = Number(readTrim(`${zones}/${name}/temp`));
    if (type === undefined || !Number.isFinite(temp) || !ok(name, type)) continue;
    out.push({ name, type, temp: temp / 1000 });
  }
  if (out.length > 0) return out;
  const hwmon = `${sysfs}/class/hwmon`;
  for (const h of names(hwmon, "hwmon")) {
    if (filter.name && !filter.name.test(h)) continue;
    const type = readTrim(`${hwmon}/${h}/name`);
    if (type === undefined || (filter.type && !filter.type.test(type))) continue;
    for (const input of names(`${hwmon}/${h}`, "temp").filter((n) => /^temp\d+_input$/.test(n))) {
      const temp = Number(readTrim(`${hwmon}/${h}/${input}`));
      if (Number.isFinite(temp)) out.push({ name: `${h}_${input}`, type, temp: temp / 1000 });
    }
  }
  return out;
}

/** A running thermal input. */
export class ThermalInput implements InputInstance {
  readonly chunks: AsyncIterable<Chunk>;
  readonly #ctx: InputContext;
  readonly #options: ThermalOptions;
  readonly #sysfs: string;

  constructor(options: ThermalOptions, ctx: InputContext, sysfs = "/sys") {
    this.#ctx = ctx;
    this.#options = options;
    this.#sysfs = sysfs;
    this.chunks = this.#main();
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  async *#main(): AsyncGenerator<Chunk> {
    const { clock, signal, log } = this.#ctx;
    const o = this.#options;
    const filter = { name: o.name_regex, type: o.type_regex };
    let devices = readTemperatures(this.#sysfs, filter).length;
    if (devices === 0) log.warn("no thermal zone or hwmon temperature sensor found");
    for await (const _ of ticks(clock, intervalMs(o.interval_sec, o.interval_nsec), signal)) {
      const temps = readTemperatures(this.#sysfs, filter);
      if (temps.length !== devices) {
        log.info(`the number of thermal devices changed ${devices} -> ${temps.length}`);
        devices = temps.length;
      }
      if (temps.length > 0) yield this.#ctx.chunk(temps.map((t) => logRecord(t)));
    }
  }
}
