/**
 * Protobuf wire helpers shared by the three signals: nested-message bounds, unknown-field
 * skipping, AnyValue/KeyValue/Resource/InstrumentationScope reading, and the
 * location tracker that turns a low-level read error into an `OtlpDecodeError` with a path.
 * Field numbers are those of opentelemetry/proto/common/v1/common.proto and
 * resource/v1/resource.proto.
 */
import { errorMessage } from "../error_message.ts";
import { OtlpReader } from "./proto_reader.ts";
import {
  type AnyValue,
  type Attributes,
  emptyResource,
  type Resource,
  type Scope,
} from "../event/span.ts";
import { OtlpDecodeError } from "./errors.ts";
import { setKey } from "./values.ts";

/** Wire type of varints. */
export const VARINT = 0;
/** Wire type of fixed64, sfixed64 and double. */
export const I64 = 1;
/** Wire type of strings, bytes, messages and packed repeated fields. */
export const LEN = 2;
/** Wire type of fixed32, sfixed32 and float. */
export const I32 = 5;

/** Reads a length prefix and returns where the nested message ends, checking bounds. */
export function subEnd(r: OtlpReader): number {
  const len = r.uint32();
  const end = r.pos + len;
  if (end > r.len) throw new Error(`length ${len} runs past the end of the message`);
  return end;
}

/** Checks that a nested message was read exactly to its end. */
export function endAt(r: OtlpReader, end: number): void {
  if (r.pos !== end) throw new Error("a field runs past the end of its enclosing message");
}

/** Skips a field this decoder does not know (or knows with another wire type). */
export function skipField(r: OtlpReader, tag: number): void {
  const fieldNo = tag >>> 3;
  if (fieldNo === 0) throw new Error("illegal tag: field number 0");
  r.skip(tag & 7, fieldNo);
}

/**
 * Where a protobuf decoder is, by the index of the current resource, scope and item
 * entries; used only to name the place of an error.
 */
export class ProtoLocation {
  resource = -1;
  scope = -1;
  item = -1;
  constructor(private readonly names: readonly [string, string, string]) {}

  /** The JSON-style path of the current position, e.g. `resourceSpans[0].scopeSpans[1]`. */
  path(): string {
    const [r, s, i] = this.names;
    let p = "";
    if (this.resource >= 0) p = `${r}[${this.resource}]`;
    if (this.scope >= 0) p += `.${s}[${this.scope}]`;
    if (this.item >= 0) p += `.${i}[${this.item}]`;
    return p;
  }
}

/**
 * Runs a protobuf decode over `body`, turning any read error into an `OtlpDecodeError`
 * that names the resource/scope/item where it happened.
 */
export function decodeProto<T>(
  body: Uint8Array,
  names: readonly [string, string, string],
  fn: (r: OtlpReader, loc: ProtoLocation) => T,
): T {
  const loc = new ProtoLocation(names);
  try {
    return fn(new OtlpReader(body), loc);
  } catch (e) {
    if (e instanceof OtlpDecodeError) throw e;
    const detail = `invalid protobuf: ${errorMessage(e)}`;
    throw new OtlpDecodeError(loc.path(), detail, { cause: e });
  }
}

/**
 * Decodes the Resource* > Scope* nesting every OTLP request shares (field 1 of the
 * request, then resource = 1, scope groups = 2, schema_url = 3); `readScope` reads one
 * Scope* message of the signal, with its resource shared by reference.
 */
export function decodeResourceGroups(
  body: Uint8Array,
  names: readonly [string, string, string],
  readScope: (r: OtlpReader, resource: Resource, loc: ProtoLocation) => void,
): void {
  decodeProto(body, names, (r, loc) => {
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag === ((1 << 3) | LEN)) {
        loc.resource++;
        loc.scope = -1;
        loc.item = -1;
        readResourceGroup(r, loc, readScope);
      } else skipField(r, tag);
    }
  });
}

function readResourceGroup(
  r: OtlpReader,
  loc: ProtoLocation,
  readScope: (r: OtlpReader, resource: Resource, loc: ProtoLocation) => void,
): void {
  const end = subEnd(r);
  const resource = emptyResource();
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LEN)) readResourceInto(r, resource);
    else if (tag === ((2 << 3) | LEN)) {
      loc.scope++;
      loc.item = -1;
      readScope(r, resource, loc);
    } else if (tag === ((3 << 3) | LEN)) resource.schemaUrl = r.str();
    else skipField(r, tag);
  }
  endAt(r, end);
  loc.scope = -1;
}

/** Reads an AnyValue message up to `end`; an empty one is null. */
export function readAnyValue(r: OtlpReader, end: number): AnyValue {
  let out: AnyValue = null;
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | LEN:
        out = r.str();
        break;
      case (2 << 3) | VARINT:
        out = r.bool();
        break;
      case (3 << 3) | VARINT:
        out = r.intNum();
        break;
      case (4 << 3) | I64:
        out = r.double();
        break;
      case (5 << 3) | LEN: {
        const e = subEnd(r);
        const list: AnyValue[] = [];
        while (r.pos < e) {
          const t = r.uint32();
          if (t === ((1 << 3) | LEN)) {
            const ve = subEnd(r);
            list.push(readAnyValue(r, ve));
            endAt(r, ve);
          } else skipField(r, t);
        }
        endAt(r, e);
        out = list;
        break;
      }
      case (6 << 3) | LEN: {
        const e = subEnd(r);
        const map: Attributes = {};
        while (r.pos < e) {
          const t = r.uint32();
          if (t === ((1 << 3) | LEN)) readKeyValueInto(r, map);
          else skipField(r, t);
        }
        endAt(r, e);
        out = map;
        break;
      }
      case (7 << 3) | LEN:
        out = r.id();
        break;
      default:
        skipField(r, tag);
    }
  }
  return out;
}

/** Reads one length-prefixed KeyValue message into `attrs`. */
export function readKeyValueInto(r: OtlpReader, attrs: Attributes): void {
  const end = subEnd(r);
  let key = "";
  let value: AnyValue = null;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LEN)) key = r.str();
    else if (tag === ((2 << 3) | LEN)) {
      const e = subEnd(r);
      value = readAnyValue(r, e);
      endAt(r, e);
    } else skipField(r, tag);
  }
  endAt(r, end);
  setKey(attrs, key, value);
}

/** Reads a length-prefixed Resource message into `into`. */
export function readResourceInto(r: OtlpReader, into: Resource): void {
  const end = subEnd(r);
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | LEN)) readKeyValueInto(r, into.attributes);
    else if (tag === ((2 << 3) | VARINT)) into.droppedAttributesCount = r.uint32();
    else skipField(r, tag);
  }
  endAt(r, end);
}

/** Reads a length-prefixed InstrumentationScope message into `into`. */
export function readScopeInto(r: OtlpReader, into: Scope): void {
  const end = subEnd(r);
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case (1 << 3) | LEN:
        into.name = r.str();
        break;
      case (2 << 3) | LEN:
        into.version = r.str();
        break;
      case (3 << 3) | LEN:
        readKeyValueInto(r, into.attributes);
        break;
      case (4 << 3) | VARINT:
        into.droppedAttributesCount = r.uint32();
        break;
      default:
        skipField(r, tag);
    }
  }
  endAt(r, end);
}
