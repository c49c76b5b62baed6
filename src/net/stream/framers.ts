/** The framings a stream listener offers, by name, and the framer each one makes. */
import { type Framer, type FramerHooks, separatorFramer } from "./framing.ts";
import { jsonFramer } from "./json_framer.ts";
import { msgpackFramer } from "./msgpack_framer.ts";
import { octetCountingFramer } from "./octet_framer.ts";

/** How a connection's bytes are cut: by a separator, by octet counts, as msgpack or JSON values. */
export type Framing =
  | { kind: "separator"; separator: Uint8Array }
  | { kind: "octet_counting" }
  | { kind: "msgpack" }
  | { kind: "json" }
  | { kind: "custom"; create(hooks: FramerHooks): Framer };

/** A new framer for one connection, cutting as `framing` says. */
export function framerFor(framing: Framing, hooks: FramerHooks): Framer {
  switch (framing.kind) {
    case "separator":
      return separatorFramer(framing.separator, hooks);
    case "octet_counting":
      return octetCountingFramer(hooks);
    case "msgpack":
      return msgpackFramer(hooks);
    case "json":
      return jsonFramer(hooks);
    case "custom":
      return framing.create(hooks);
  }
}
