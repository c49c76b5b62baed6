/**
 * CloudWatch Logs' checks of one PutLogEvents call, as the API documents them: 1 to 10,000
 * events, each with a timestamp and a message, in chronological order, spanning less than 24
 * hours, at most 1,048,576 bytes (messages in UTF-8 plus 26 bytes each); then which events it
 * takes and which it rejects in rejectedLogEventsInfo (older than the group's retention:
 * expired; more than 14 days old: tooOld; more than 2 hours ahead: tooNew).
 */

/** One stored event. */
export interface StoredEvent {
  timestamp: number;
  message: string;
}

const DAY = 86_400_000;

/** A refusal of the whole call. */
export interface PutRefusal {
  status: number;
  code: string;
  message: string;
}

/** What the call did: the events taken, and the rejectedLogEventsInfo indexes. */
export interface PutResult {
  accepted: StoredEvent[];
  info: Record<string, number>;
}

function refuse(message: string, status = 400): PutRefusal {
  return { status, code: "InvalidParameterException", message };
}

/** Checks `events` at `now` for a group with `retentionDays` (none when undefined). */
export function checkPutLogEvents(
  events: unknown,
  retentionDays: number | undefined,
  now: number,
): PutResult | PutRefusal {
  if (!Array.isArray(events) || events.length === 0) {
    return refuse("logEvents must hold 1 to 10000 events");
  }
  if (events.length > 10_000) return refuse("logEvents has more than 10000 events");
  let bytes = 0;
  let last = -Infinity;
  for (const e of events as { timestamp?: unknown; message?: unknown }[]) {
    if (typeof e.timestamp !== "number" || typeof e.message !== "string") {
      return refuse("each event needs timestamp and message");
    }
    if (e.timestamp < last) {
      return refuse("Log events in a single PutLogEvents request must be in chronological order.");
    }
    last = e.timestamp;
    bytes += new TextEncoder().encode(e.message).length + 26;
  }
  const list = events as StoredEvent[];
  if (last - list[0]!.timestamp >= DAY) {
    return refuse(
      "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.",
    );
  }
  if (bytes > 1_048_576) return refuse("Upload too large: the batch exceeds 1,048,576 bytes", 413);
  const info: Record<string, number> = {};
  list.forEach((e, i) => {
    if (retentionDays && e.timestamp < now - retentionDays * DAY) info.expiredLogEventEndIndex = i;
    else if (e.timestamp < now - 14 * DAY) info.tooOldLogEventEndIndex = i;
    if (e.timestamp > now + 2 * 3600_000 && info.tooNewLogEventStartIndex === undefined) {
      info.tooNewLogEventStartIndex = i;
    }
  });
  const accepted = list.filter((_, i) => {
    const old = (info.expiredLogEventEndIndex ?? -1) >= i ||
      (info.tooOldLogEventEndIndex ?? -1) >= i;
    const ahead = info.tooNewLogEventStartIndex !== undefined && i >= info.tooNewLogEventStartIndex;
    return !old && !ahead;
  }).map((e) => ({ timestamp: e.timestamp, message: e.message }));
  return { accepted, info };
}
