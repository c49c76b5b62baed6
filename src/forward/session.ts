/**
 * One forward connection's protocol, over whole msgpack frames and free of sockets: the
 * HELO greeting when the handshake is on, the PING check (answered with a PONG, or Fluentd's
 * refusal and a close), then forward messages decoded with src/forward. Any malformed frame
 * ends the connection, as in Fluent Bit; the caller writes replies and closes on `refuse`.
 */
import { randomBytes } from "node:crypto";
import { decodeForwardFrame, type ForwardMessage } from "./decode.ts";
import { ForwardError } from "./errors.ts";
import { checkPing, encodeHelo, encodePong } from "./handshake.ts";

/** The handshake settings of a listener; null when the handshake is off. */
export interface ForwardSecurity {
  /** `shared_key` ("" with `empty_shared_key`). */
  sharedKey: string;
  /** `self_hostname`. */
  selfHostname: string;
  /** `security.users`; empty for no user auth. */
  users: ReadonlyMap<string, string>;
}

/** What to do with one frame. */
export type SessionStep =
  | { kind: "reply"; bytes: Uint8Array }
  | { kind: "message"; message: ForwardMessage }
  | { kind: "refuse"; error: ForwardError; reply?: Uint8Array };

/** Limits and settings of a session. */
export interface SessionOptions {
  /** The handshake, or null. */
  security: ForwardSecurity | null;
  /** The most bytes a compressed payload may expand to. */
  maxDecompressedBytes: number;
  /** Random bytes for nonces (tests pass a fixed source). */
  random?: (n: number) => Uint8Array;
}

/**
 * The protocol state of one connection.
 *
 * @example
 * ```ts
 * import { DEFAULT_ENCODING, encodeForwardLogs } from "./encode.ts";
 *
 * const s = new ForwardSession({ security: null, maxDecompressedBytes: 1 << 20 });
 * s.greeting(); // null: no handshake
 * s.frame(encodeForwardLogs("app", [], DEFAULT_ENCODING).bytes).kind; // "message"
 * ```
 */
export class ForwardSession {
  #options: SessionOptions;
  #nonce: Uint8Array = new Uint8Array(0);
  #auth: Uint8Array = new Uint8Array(0);
  #authenticated: boolean;
  /** The authenticated user, "" when none. */
  username = "";

  /** A session waiting for its first frame. */
  constructor(options: SessionOptions) {
    this.#options = options;
    this.#authenticated = options.security === null;
  }

  /** The HELO to send on connect, or null when the handshake is off. */
  greeting(): Uint8Array | null {
    if (this.#options.security === null) return null;
    const random = this.#options.random ?? ((n: number) => new Uint8Array(randomBytes(n)));
    this.#nonce = random(16);
    this.#auth = this.#options.security.users.size > 0 ? random(16) : new Uint8Array(0);
    return encodeHelo({ nonce: this.#nonce, auth: this.#auth });
  }

  /** Handles one whole frame. */
  frame(bytes: Uint8Array): SessionStep {
    try {
      return this.#authenticated ? this.#message(bytes) : this.#ping(bytes);
    } catch (e) {
      if (e instanceof ForwardError) return { kind: "refuse", error: e };
      throw e;
    }
  }

  #ping(bytes: Uint8Array): SessionStep {
    const security = this.#options.security!;
    const result = checkPing(bytes, {
      nonce: this.#nonce,
      auth: this.#auth,
      sharedKey: security.sharedKey,
      users: security.users,
    });
    const reply = encodePong(result, {
      hostname: security.selfHostname,
      nonce: this.#nonce,
      sharedKey: security.sharedKey,
    });
    if (!result.ok) {
      const who = result.username ? ` (user "${result.username}")` : "";
      return {
        kind: "refuse",
        error: new ForwardError(
          "auth_failed",
          `Cannot accept forward client: ${result.reason}${who}`,
        ),
        reply,
      };
    }
    this.#authenticated = true;
    this.username = result.username;
    return { kind: "reply", bytes: reply };
  }

  #message(bytes: Uint8Array): SessionStep {
    const message = decodeForwardFrame(bytes, {
      maxDecompressedBytes: this.#options.maxDecompressedBytes,
    });
    return { kind: "message", message };
  }
}
