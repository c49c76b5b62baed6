/**
 * Spans in an ExportTraceServiceRequest, counted by walking its length-delimited fields
 * (ResourceSpans = 1, ScopeSpans = 2, Span = 2) without decoding them, so a benchmark's
 * sink costs its process little.
 */
export function countSpans(b: Uint8Array): number {
  const varint = (at: number): [number, number] => {
    let v = 0;
    let shift = 0;
    while (true) {
      const byte = b[at++];
      if (byte === undefined) throw new RangeError(`Cannot read a varint at offset ${at - 1}`);
      v += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return [v, at];
      shift += 7;
    }
  };
  const fields = (at: number, end: number, field: number, each: (s: number, e: number) => void) => {
    while (at < end) {
      const [tag, p] = varint(at);
      const wire = tag & 7;
      if (wire === 2) {
        const [len, q] = varint(p);
        if (tag >>> 3 === field) each(q, q + len);
        at = q + len;
      } else if (wire === 0) at = varint(p)[1];
      else if (wire === 1) at = p + 8;
      else if (wire === 5) at = p + 4;
      else throw new Error(`unexpected wire type ${wire}`);
    }
  };
  let n = 0;
  fields(0, b.length, 1, (rs, re) => fields(rs, re, 2, (ss, se) => fields(ss, se, 2, () => n++)));
  return n;
}
