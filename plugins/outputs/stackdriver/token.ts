/**
 * OAuth2 access tokens for Cloud Logging: from a service account (a JWT assertion POSTed to
 * its token endpoint, `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`), or from the
 * GCE metadata server (`/computeMetadata/v1/instance/service-accounts/<email>/token`). A token
 * is kept until a minute before it expires, or until `invalidate` (the API answered 401). A
 * token endpoint that refuses the account (400/401 `invalid_grant`, `invalid_client`) is a
 * PermanentError naming the account; a network failure or 5xx is retryable.
 */
import { PermanentError, RetryableError } from "../../../src/engine/errors.ts";
import { answerJson, type HttpAnswer, type UrlEndpoint } from "../../../src/net/http_client/mod.ts";
import { serviceAccountJwt } from "./jwt.ts";
import { metadataGet } from "./metadata.ts";

/** Where tokens come from. */
export type TokenOrigin =
  | { kind: "service_account"; email: string; privateKey: string; tokenUri: string }
  | { kind: "metadata"; email: string };

const dec = new TextDecoder();

/** Gets and caches access tokens. */
export class TokenSource {
  readonly #origin: TokenOrigin;
  readonly #endpoint: UrlEndpoint;
  readonly #now: () => number;
  #token: { value: string; expiresAt: number } | undefined;
  #pending: Promise<string> | undefined;

  constructor(origin: TokenOrigin, endpoint: UrlEndpoint, now: () => number = Date.now) {
    this.#origin = origin;
    this.#endpoint = endpoint;
    this.#now = now;
  }

  /** A valid access token, fetched when none is cached or it is about to expire. */
  get(): Promise<string> {
    const t = this.#token;
    if (t && this.#now() < t.expiresAt - 60_000) return Promise.resolve(t.value);
    this.#pending ??= this.#request().finally(() => (this.#pending = undefined));
    return this.#pending;
  }

  /** Forgets the cached token (the API said it is no longer valid). */
  invalidate(): void {
    this.#token = undefined;
  }

  async #request(): Promise<string> {
    const o = this.#origin;
    const { client, path } = this.#endpoint;
    let answer: HttpAnswer;
    if (o.kind === "service_account") {
      const assertion = await serviceAccountJwt({
        email: o.email,
        privateKey: o.privateKey,
        audience: o.tokenUri,
        nowSec: Math.floor(this.#now() / 1000),
      });
      const form =
        `grant_type=${encodeURIComponent("urn:ietf:params:oauth:grant-type:jwt-bearer")}` +
        `&assertion=${assertion}`;
      answer = await client.send({
        path,
        body: new TextEncoder().encode(form),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        readBody: true,
      });
    } else {
      answer = await metadataGet(this.#endpoint, `instance/service-accounts/${o.email}/token`);
    }
    const body = answerJson(answer);
    const where = `${client.url(path)}`;
    if (answer.status !== 200 || typeof body.access_token !== "string") {
      const reason = [body.error, body.error_description].filter((x) => typeof x === "string")
        .join(": ") || dec.decode(answer.body).slice(0, 200) || "no body";
      const message = `Cannot get an OAuth2 token for ${o.email} from ${where}: HTTP ` +
        `${answer.status}: ${reason}`;
      if (
        answer.status === 400 || answer.status === 401 || answer.status === 403 ||
        answer.status === 404
      ) {
        throw new PermanentError(
          `${message} (check google_service_credentials or service_account_email/_secret)`,
          { status: answer.status },
        );
      }
      throw new RetryableError(message, { status: answer.status });
    }
    const seconds = typeof body.expires_in === "number" ? body.expires_in : 3600;
    this.#token = { value: body.access_token, expiresAt: this.#now() + seconds * 1000 };
    return body.access_token;
  }
}
