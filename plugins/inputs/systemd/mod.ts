/**
 * The `systemd` input: reads the systemd journal (Fluent Bit's `in_systemd`) through
 * journalctl's export stream, following new entries, with filters, dynamic tags from
 * `_SYSTEMD_UNIT` and a cursor database committed only after outputs acknowledge.
 */
import { defineInput } from "../../../src/plugin.ts";
import { systemdOptions } from "./options.ts";
import { systemdSettings } from "./settings.ts";

const EXAMPLE_EXPORT = [1, 2, 3].map((i) =>
  `__REALTIME_TIMESTAMP=170000000000000${i}\n__MONOTONIC_TIMESTAMP=${i}000\n` +
  `_BOOT_ID=0123456789abcdef0123456789abcdef\nMESSAGE=entry ${i}\n_SYSTEMD_UNIT=cron.service\n\n`
).join("");

/** The systemd input plugin definition. */
export const plugin = defineInput({
  name: "systemd",
  description: "Systemd (Journal) reader",
  options: systemdOptions,
  example: {
    options: { path: "${TEST_DIR}/journal" },
    feed: { kind: "journal", path: "${TEST_DIR}/journal", text: EXAMPLE_EXPORT, records: 3 },
  },
  create: async (options, ctx) =>
    new (await import("./systemd.ts")).SystemdInput(systemdSettings(options), ctx),
});
