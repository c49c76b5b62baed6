/** Reading `grpc-status-details-bin`: the retry delay of a google.rpc.RetryInfo detail. */
import { BinaryReader } from "@bufbuild/protobuf/wire";

const RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";

/** Seconds of the RetryInfo delay in a base64 google.rpc.Status, when there is one. */
export function retryDelayOf(base64: string): number | undefined {
  try {
    const bin = Uint8Array.from(
      atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")),
      (c) => c.charCodeAt(0),
    );
    const status = new BinaryReader(bin);
    while (status.pos < status.len) {
      const [field, wire] = status.tag();
      if (field !== 3 || wire !== 2) {
        status.skip(wire);
        continue;
      }
      const any = new BinaryReader(status.bytes());
      let type = "";
      let value: Uint8Array | undefined;
      while (any.pos < any.len) {
        const [f, w] = any.tag();
        if (f === 1) type = any.string();
        else if (f === 2) value = any.bytes();
        else any.skip(w);
      }
      if (type !== RETRY_INFO || value === undefined) continue;
      const info = new BinaryReader(value);
      while (info.pos < info.len) {
        const [f, w] = info.tag();
        if (f !== 1) {
          info.skip(w);
          continue;
        }
        const d = new BinaryReader(info.bytes());
        let seconds = 0;
        let nanos = 0;
        while (d.pos < d.len) {
          const [g, x] = d.tag();
          if (g === 1) seconds = Number(d.int64());
          else if (g === 2) nanos = d.int32();
          else d.skip(x);
        }
        return seconds + nanos / 1e9;
      }
    }
  } catch {
    // malformed details: no delay
  }
  return undefined;
}
