/** The `netif` input: one network interface's traffic per interval (Fluent Bit's `in_netif`). */
import { defineInput, OptionError } from "../../../src/plugin.ts";
import { netifOptions } from "./options.ts";

/** The netif input plugin definition. */
export const plugin = defineInput({
  name: "netif",
  description: "Network Interface Usage",
  options: netifOptions,
  example: {
    options: { interface: "lo", interval_sec: 0, interval_nsec: 100_000_000 },
    feed: { kind: "interval", records: 2 },
  },
  create: async (options, ctx) => {
    const iface = options.interface;
    if (!iface) throw new OptionError("interface", "'interface' is not set: name one, e.g. eth0");
    const input = new (await import("./netif.ts")).NetifInput(
      { ...options, interface: iface },
      ctx,
    );
    if (options.test_at_init && !input.read()) {
      throw new OptionError("test_at_init", `${iface}: init test failed (not in /proc/net/dev)`);
    }
    return input;
  },
});
