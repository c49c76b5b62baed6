import { assertEquals } from "../../../src/testing/assert.ts";
import { diskRecord, diskSectors } from "./disk.ts";

const A =
  "   8 0 sda 1 0 100 0 1 0 200 0 0 0 0\n   8 1 sda1 1 0 40 0 1 0 50 0 0 0 0\n 254 0 vda 1 0 10 0 1 0 10 0 0\n";
const B =
  "   8 0 sda 1 0 104 0 1 0 210 0 0 0 0\n   8 1 sda1 1 0 41 0 1 0 50 0 0 0 0\n 254 0 vda 1 0 10 0 1 0 12 0 0\n";

Deno.test("disk: sectors read and written between readings as bytes, every line summed", () => {
  assertEquals(diskRecord(diskSectors(A), diskSectors(B)), {
    read_size: (4 + 1) * 512,
    write_size: (10 + 2) * 512,
  });
});

Deno.test("disk: dev_name keeps the devices whose name contains it", () => {
  assertEquals(diskRecord(diskSectors(A, "vda"), diskSectors(B, "vda")), {
    read_size: 0,
    write_size: 1024,
  });
  assertEquals([...diskSectors("garbage\n1 2\n").keys()], []);
});
