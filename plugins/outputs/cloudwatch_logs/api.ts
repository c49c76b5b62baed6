/**
 * The CloudWatch Logs calls the output makes (JSON 1.1 protocol, `X-Amz-Target:
 * Logs_20140328.<Action>`): CreateLogStream, CreateLogGroup (auto_create_group),
 * PutRetentionPolicy (log_retention_days) and PutLogEvents with its rejectedLogEventsInfo.
 */
import { RetryableError } from "../../../src/engine/errors.ts";
import type { HttpAnswer } from "../../../src/net/http_client/client.ts";
import { awsCallError, readAwsError } from "../../../src/net/aws/service_error.ts";
import type { ServiceClient } from "../../../src/net/aws/service_client.ts";
import type { PluginLogger } from "../../../src/plugin.ts";
import type { LogEvent } from "./events.ts";
import { putLogEventsBody } from "./batches.ts";

/** What PutLogEvents refused, as indexes into the batch. */
export interface RejectedInfo {
  tooNewLogEventStartIndex?: number;
  tooOldLogEventEndIndex?: number;
  expiredLogEventEndIndex?: number;
}

/** Settings of the calls. */
export interface LogsApiOptions {
  /** `auto_create_group`. */
  autoCreateGroup: boolean;
  /** `log_retention_days`. */
  retentionDays: number;
  /** `log_group_class`, "" for the default. */
  groupClass: string;
  /** `log_format`, sent as x-amzn-logs-format. */
  logFormat?: string;
  /** `auto_retry_requests`: send once more at once after a network failure. */
  autoRetry: boolean;
}

/** The CloudWatch Logs API of one output. */
export class LogsApi {
  #client: ServiceClient;
  #o: LogsApiOptions;
  #log: PluginLogger;
  #known = new Set<string>();

  /** Calls over `client`. */
  constructor(client: ServiceClient, options: LogsApiOptions, log: PluginLogger) {
    this.#client = client;
    this.#o = options;
    this.#log = log;
  }

  /** Sends one action; resolves with the answer whatever its status. */
  async call(action: string, body: string, headers: Record<string, string> = {}) {
    const req = {
      target: "/",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": `Logs_20140328.${action}`,
        ...headers,
      },
      body: new TextEncoder().encode(body),
    };
    try {
      return await this.#client.send(req);
    } catch (e) {
      if (!(e instanceof RetryableError) || !this.#o.autoRetry) throw e;
      this.#log.debug(`${action}: ${e.message}; retrying once at once`);
      return await this.#client.send(req);
    }
  }

  #fail(action: string, answer: HttpAnswer) {
    return awsCallError(readAwsError(answer), `${action} to ${this.#client.target}`, answer);
  }

  /** Makes sure `stream` exists in `group`, creating it (and the group when allowed). */
  async ensureStream(group: string, stream: string): Promise<void> {
    const key = `${group}\n${stream}`;
    if (this.#known.has(key)) return;
    const body = JSON.stringify({ logGroupName: group, logStreamName: stream });
    let answer = await this.call("CreateLogStream", body);
    let code = answer.status === 200 ? "" : readAwsError(answer).code;
    if (code === "ResourceNotFoundException") {
      if (!this.#o.autoCreateGroup) {
        throw new RetryableError(
          `Log group ${group} not found and auto_create_group is off: create the group, or ` +
            `set auto_create_group on`,
          { status: answer.status },
        );
      }
      await this.#createGroup(group);
      answer = await this.call("CreateLogStream", body);
      code = answer.status === 200 ? "" : readAwsError(answer).code;
    }
    if (code !== "" && code !== "ResourceAlreadyExistsException") {
      throw this.#fail("CreateLogStream", answer);
    }
    if (code === "") this.#log.info(`Created log stream ${stream} in log group ${group}`);
    this.#known.add(key);
  }

  async #createGroup(group: string): Promise<void> {
    const doc: Record<string, string> = { logGroupName: group };
    if (this.#o.groupClass !== "") doc.logGroupClass = this.#o.groupClass;
    const answer = await this.call("CreateLogGroup", JSON.stringify(doc));
    const code = answer.status === 200 ? "" : readAwsError(answer).code;
    if (code !== "" && code !== "ResourceAlreadyExistsException") {
      throw this.#fail("CreateLogGroup", answer);
    }
    this.#log.info(code === "" ? `Created log group ${group}` : `Log group ${group} exists`);
    if (this.#o.retentionDays <= 0) return;
    const policy = await this.call(
      "PutRetentionPolicy",
      JSON.stringify({ logGroupName: group, retentionInDays: this.#o.retentionDays }),
    );
    if (policy.status !== 200) throw this.#fail("PutRetentionPolicy", policy);
  }

  /**
   * Puts one batch; resolves with what CloudWatch refused of it (empty when it took all).
   * A stream deleted meanwhile is created again and the batch sent once more.
   */
  async putLogEvents(group: string, stream: string, batch: readonly LogEvent[]) {
    const headers: Record<string, string> = this.#o.logFormat
      ? { "x-amzn-logs-format": this.#o.logFormat }
      : {};
    const body = putLogEventsBody(group, stream, batch);
    let answer = await this.call("PutLogEvents", body, headers);
    if (answer.status !== 200 && readAwsError(answer).code === "ResourceNotFoundException") {
      this.#known.delete(`${group}\n${stream}`);
      await this.ensureStream(group, stream);
      answer = await this.call("PutLogEvents", body, headers);
    }
    if (answer.status !== 200) throw this.#fail("PutLogEvents", answer);
    if (answer.headers["x-amzn-requestid"] === undefined) {
      this.#log.once("warn", "no-request-id", "PutLogEvents answered 200 without x-amzn-RequestId");
    }
    return rejectedInfo(answer.body);
  }
}

/** The rejectedLogEventsInfo of a PutLogEvents answer (empty for an empty body). */
export function rejectedInfo(body: Uint8Array): RejectedInfo {
  const text = new TextDecoder().decode(body).trim();
  if (text === "") return {};
  try {
    const doc = JSON.parse(text) as { rejectedLogEventsInfo?: Record<string, unknown> };
    const info = doc.rejectedLogEventsInfo ?? {};
    const out: RejectedInfo = {};
    for (
      const k of [
        "tooNewLogEventStartIndex",
        "tooOldLogEventEndIndex",
        "expiredLogEventEndIndex",
      ] as const
    ) {
      const v = info[k];
      if (typeof v === "number" && Number.isInteger(v)) out[k] = v;
    }
    return out;
  } catch {
    return {};
  }
}

/**
 * The reasons CloudWatch refused events of a batch of `size`, by batch index.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const r = rejectedReasons({ tooOldLogEventEndIndex: 0, tooNewLogEventStartIndex: 2 }, 3);
 * assertEquals([...r.keys()], [0, 2]);
 * ```
 */
export function rejectedReasons(info: RejectedInfo, size: number): Map<number, string> {
  const out = new Map<number, string>();
  const { tooNewLogEventStartIndex: tooNew, tooOldLogEventEndIndex: tooOld } = info;
  const expired = info.expiredLogEventEndIndex;
  for (let i = 0; i < size; i++) {
    if (expired !== undefined && i <= expired) {
      out.set(i, "CloudWatch rejected the event: expired (older than the log group's retention)");
    } else if (tooOld !== undefined && i <= tooOld) {
      out.set(i, "CloudWatch rejected the event: tooOld (more than 14 days old)");
    } else if (tooNew !== undefined && i >= tooNew) {
      out.set(i, "CloudWatch rejected the event: tooNew (more than 2 hours in the future)");
    }
  }
  return out;
}
