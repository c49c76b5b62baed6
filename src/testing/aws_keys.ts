/**
 * The keys a local AWS stand-in knows, and its check of each request as AWS makes it:
 * the SigV4 signature recomputed with the key's secret, the session token of temporary keys
 * compared, and keys past their expiry refused with ExpiredTokenException.
 */
import { verifySignature } from "../net/aws/verify.ts";
import type { PathRules } from "../net/aws/canonical.ts";

/** One known key. */
export interface TestKey {
  /** The secret the signature must be made with. */
  secret: string;
  /** The session token temporary keys must send. */
  sessionToken?: string;
  /** After this (ms since the epoch) the key answers ExpiredTokenException. */
  expiresAt?: number;
}

/** The refusal of a request: status, AWS error code and message. */
export interface AuthRefusal {
  status: number;
  code: string;
  message: string;
}

/** Known keys by access key id; tests add, expire and remove keys while a receiver runs. */
export class TestKeys {
  /** The keys. */
  readonly keys: Map<string, TestKey> = new Map();
  /** Requests refused, by error code. */
  readonly refused: Map<string, number> = new Map();

  /** Keys `id` → `key`. */
  constructor(initial: Record<string, TestKey | string> = {}) {
    for (const [id, k] of Object.entries(initial)) {
      this.keys.set(id, typeof k === "string" ? { secret: k } : k);
    }
  }

  /**
   * Checks `req` for the service and region of `scope`; undefined when it may go on, else the refusal to answer.
   * `target` is the path and query as received.
   */
  async check(
    req: Request,
    target: string,
    body: Uint8Array,
    scope: { service: string; region: string },
    rules?: PathRules,
  ): Promise<AuthRefusal | undefined> {
    const verdict = await verifySignature(
      { method: req.method, target, headers: req.headers, body },
      (id) => this.keys.get(id)?.secret,
      rules,
    );
    let refusal: AuthRefusal | undefined;
    if (!verdict.ok) {
      const status = verdict.code === "InvalidSignatureException" ? 403 : 400;
      refusal = { status, code: verdict.code, message: verdict.message };
    } else if (verdict.service !== scope.service || verdict.region !== scope.region) {
      refusal = {
        status: 403,
        code: "InvalidSignatureException",
        message: `Credential should be scoped to ${scope.region}/${scope.service}, not ` +
          `${verdict.region}/${verdict.service}`,
      };
    } else {
      const key = this.keys.get(verdict.accessKeyId)!;
      const token = req.headers.get("x-amz-security-token") ?? undefined;
      if (key.sessionToken !== token) {
        refusal = {
          status: 400,
          code: "UnrecognizedClientException",
          message: "The security token included in the request is invalid.",
        };
      } else if (key.expiresAt !== undefined && Date.now() >= key.expiresAt) {
        refusal = {
          status: 400,
          code: "ExpiredTokenException",
          message: "The security token included in the request is expired",
        };
      }
    }
    if (refusal) this.refused.set(refusal.code, (this.refused.get(refusal.code) ?? 0) + 1);
    return refusal;
  }
}
