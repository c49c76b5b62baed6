/**
 * The shape every sampling condition shares: it looks at a whole buffered trace and
 * says whether it matches. Conditions written per span in Fluent Bit (latency,
 * attributes, status) match a trace when any of its spans matches, which is the
 * same as Fluent Bit's "any span satisfies any condition" rule.
 */
import type { Span } from "../../../../src/event/span.ts";

/** The spans of one trace, as buffered when the decision is taken. */
export interface TraceView {
  readonly spans: readonly Span[];
}

/** One parsed condition. */
export interface Condition {
  /** The condition's `type`, as written in the config (lowercase). */
  readonly type: string;
  /** True when the trace matches. */
  matches(trace: TraceView): boolean;
  /** Why it can never match (an empty list Fluent Bit accepts), for a warning at start. */
  readonly never?: string;
}

/** A condition Fluent Bit accepts that matches no trace, saying why. */
export function neverMatches(type: string, why: string): Condition {
  return { type, matches: () => false, never: `${why}, so it never matches (as in Fluent Bit)` };
}
