import { assertEquals } from "../../../src/testing/assert.ts";
import { readTemperatures } from "./thermal.ts";

const sysfs = new URL("../../../testdata/node_exporter/sys", import.meta.url).pathname;

Deno.test("thermal: one record per thermal zone, °C, filtered by name and type", () => {
  assertEquals(readTemperatures(sysfs, {}), [{
    name: "thermal_zone0",
    type: "x86_pkg_temp",
    temp: 45,
  }]);
  assertEquals(readTemperatures(sysfs, { type: /^acpi/ }), [
    // no zone matched: the hwmon sensors are tried, also filtered by type
  ]);
  assertEquals(readTemperatures("/nonexistent", {}), []);
});

Deno.test("thermal: hwmon temperature inputs when there is no thermal zone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/class/hwmon/hwmon3`, { recursive: true });
    await Deno.writeTextFile(`${dir}/class/hwmon/hwmon3/name`, "k10temp\n");
    await Deno.writeTextFile(`${dir}/class/hwmon/hwmon3/temp1_input`, "41500\n");
    await Deno.writeTextFile(`${dir}/class/hwmon/hwmon3/temp2_input`, "x\n");
    assertEquals(readTemperatures(dir, {}), [{
      name: "hwmon3_temp1_input",
      type: "k10temp",
      temp: 41.5,
    }]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
