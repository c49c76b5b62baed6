import { assertEquals } from "../testing/assert.ts";
import { formatUptime, uptimeBody } from "./uptime.ts";

Deno.test("formatUptime() writes Fluent Bit's sentence with its singulars and double space", () => {
  assertEquals(
    formatUptime(0),
    "Fluent Bit has been running:  0 day, 0 hour, 0 minute and 0 second",
  );
  assertEquals(
    formatUptime(65),
    "Fluent Bit has been running:  0 day, 0 hour, 1 minute and 5 seconds",
  );
  assertEquals(
    formatUptime(86400 + 3600 + 60 + 1),
    "Fluent Bit has been running:  1 day, 1 hour, 1 minute and 1 second",
  );
  assertEquals(
    formatUptime(2 * 86400 + 3 * 3600 + 59 * 60 + 59),
    "Fluent Bit has been running:  2 days, 3 hours, 59 minutes and 59 seconds",
  );
});

Deno.test("uptimeBody() floors to whole seconds and never goes negative", () => {
  const start = new Date(1_000_000);
  assertEquals(uptimeBody(start, 1_000_000 + 1_999).uptime_sec, 1);
  assertEquals(uptimeBody(start, 999_000).uptime_sec, 0);
});
