/**
 * A local stand-in for the Google endpoints the stackdriver output talks to (no Google
 * server installs here), following their documented shapes: the OAuth2 token endpoint
 * (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`, the JWT's RS256 signature
 * verified with crypto.subtle against the service account's public key, its iss, scope,
 * aud, iat and exp checked, `invalid_grant` on failure), the GCE metadata server
 * (`Metadata-Flavor: Google` required) and Cloud Logging's `v2/entries:write` (Bearer
 * token checked, UNAUTHENTICATED 401 for an unknown or expired one, WriteLogEntriesPartialErrors
 * for refused entries). Tests make keys with `serviceAccount` (google_service_account.ts),
 * expire tokens with
 * `expireTokens`, and take it down and up.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * const g = await GoogleReceiver.start();
 * const res = await fetch(`${g.url}/computeMetadata/v1/project/project-id`, {
 *   headers: { "Metadata-Flavor": "Google" },
 * });
 * assertEquals(await res.text(), "test-project");
 * await g.stop();
 * ```
 */

import { base64UrlDecode } from "../net/base64url.ts";
import { gunzip, RestartableReceiver, RestartableServer } from "./restartable_server.ts";

/** One entries:write request as received. */
export interface WriteRequest {
  headers: Headers;
  body: {
    partialSuccess?: boolean;
    resource?: { type: string; labels: Record<string, string> };
    entries: Record<string, unknown>[];
  };
  status: number;
}

const dec = new TextDecoder();

/** The receiver. */
export class GoogleReceiver extends RestartableReceiver {
  /** Every entries:write request, in order. */
  readonly writes: WriteRequest[] = [];
  /** Entries accepted, in order. */
  readonly entries: Record<string, unknown>[] = [];
  /** Token requests: the JWT claims, and whether the assertion was accepted. */
  readonly tokenRequests: { claims: Record<string, unknown>; ok: boolean }[] = [];
  /** Accounts whose JWTs are accepted, by email. */
  readonly accounts = new Map<string, CryptoKey>();
  /** Refuse an entry for good (`{code, message}`), or undefined to accept it. */
  refuse:
    | ((entry: Record<string, unknown>) => { code: number; message: string } | undefined)
    | undefined;
  /** Seconds a token lives (`expires_in`). */
  tokenTtl = 3600;
  #tokens = new Map<string, number>();
  #seq = 0;
  #https: RestartableServer | undefined;
  #project: string;

  private constructor(project: string) {
    super();
    this.#project = project;
  }

  /**
   * Starts on 127.0.0.1; with `tls` (PEM certificate and key) it also serves the same
   * endpoints over HTTPS on a port of its own (`tlsUrl`), as Fluent Bit's output needs.
   */
  static async start(
    options: { project?: string; tls?: { cert: string; key: string } } = {},
  ): Promise<GoogleReceiver> {
    const g = new GoogleReceiver(options.project ?? "test-project");
    await g.up();
    if (options.tls) {
      g.#https = new RestartableServer((req) => g.handle(req), { tls: options.tls });
      g.#https.up();
    }
    return g;
  }

  /** `https://127.0.0.1:<port>` when started with `tls`. */
  get tlsUrl(): string {
    return `https://127.0.0.1:${this.#https?.port ?? 0}`;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Makes every token issued so far expire now (as if an hour had passed). */
  expireTokens(): void {
    for (const k of this.#tokens.keys()) this.#tokens.set(k, 0);
  }

  /** Stops for good. */
  override async stop(): Promise<void> {
    await this.#https?.down();
    await this.down();
  }

  protected async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const body = new Uint8Array(await req.arrayBuffer());
    if (url.pathname === "/token" && req.method === "POST") {
      return await this.#token(dec.decode(body));
    }
    if (url.pathname.startsWith("/computeMetadata/v1/")) return this.#metadata(req, url.pathname);
    if (url.pathname === "/v2/entries:write" && req.method === "POST") {
      const raw = req.headers.get("content-encoding") === "gzip" ? await gunzip(body) : body;
      return this.#write(req.headers, dec.decode(raw));
    }
    return Response.json({ error: { code: 404, message: "Not Found", status: "NOT_FOUND" } }, {
      status: 404,
    });
  }

  #issue(): Response {
    const token = `ya29.test-${++this.#seq}`;
    this.#tokens.set(token, Date.now() + this.tokenTtl * 1000);
    return Response.json({ access_token: token, expires_in: this.tokenTtl, token_type: "Bearer" });
  }

  async #token(form: string): Promise<Response> {
    const params = new URLSearchParams(form);
    const refuse = (description: string, claims: Record<string, unknown> = {}) => {
      this.tokenRequests.push({ claims, ok: false });
      return Response.json({ error: "invalid_grant", error_description: description }, {
        status: 400,
      });
    };
    if (params.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      return Response.json({
        error: "unsupported_grant_type",
        error_description: "Invalid grant_type",
      }, { status: 400 });
    }
    const [h, c, sig] = (params.get("assertion") ?? "").split(".");
    if (!h || !c || !sig) {
      return refuse("Invalid JWT: Token must be a short-lived token and in a reasonable timeframe");
    }
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(dec.decode(base64UrlDecode(h)));
      claims = JSON.parse(dec.decode(base64UrlDecode(c)));
    } catch {
      return refuse("Invalid JWT: cannot decode");
    }
    if (header.alg !== "RS256") return refuse("Invalid JWT: alg must be RS256", claims);
    const key = this.accounts.get(String(claims.iss));
    if (!key) return refuse("Invalid grant: account not found", claims);
    const ok = await crypto.subtle.verify(
      "RSASSA-PKCS1-v1_5",
      key,
      base64UrlDecode(sig),
      new TextEncoder().encode(`${h}.${c}`),
    );
    if (!ok) return refuse("Invalid JWT Signature.", claims);
    const now = Date.now() / 1000;
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    if (!(iat <= now + 300 && exp > now && exp - iat <= 3600)) {
      return refuse(
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe",
        claims,
      );
    }
    if (claims.aud !== `${this.url}/token`) return refuse(`Invalid JWT: aud ${claims.aud}`, claims);
    if (
      !String(claims.scope).split(" ").includes("https://www.googleapis.com/auth/logging.write")
    ) {
      return refuse("Invalid OAuth scope", claims);
    }
    this.tokenRequests.push({ claims, ok: true });
    return this.#issue();
  }

  #metadata(req: Request, path: string): Response {
    if (req.headers.get("metadata-flavor") !== "Google") {
      return new Response("Missing Metadata-Flavor:Google header", { status: 403 });
    }
    const rest = path.slice("/computeMetadata/v1/".length);
    if (rest === "project/project-id") return new Response(this.#project);
    if (rest === "instance/zone") return new Response("projects/1234/zones/europe-west1-b");
    if (rest === "instance/id") return new Response("4520031799277581759");
    if (/^instance\/service-accounts\/[^/]+\/token$/.test(rest)) {
      this.tokenRequests.push({ claims: { metadata: rest }, ok: true });
      return this.#issue();
    }
    return new Response("not found", { status: 404 });
  }

  #write(headers: Headers, text: string): Response {
    const auth = headers.get("authorization") ?? "";
    const token = auth.startsWith("Bearer ") ? auth.slice(7) : "";
    const expiry = this.#tokens.get(token);
    const record = (status: number, body: WriteRequest["body"]) =>
      this.writes.push({ headers, body, status });
    if (expiry === undefined || expiry <= Date.now()) {
      record(401, { entries: [] });
      return Response.json({
        error: {
          code: 401,
          message: "Request had invalid authentication credentials. Expected OAuth 2 access token.",
          status: "UNAUTHENTICATED",
        },
      }, { status: 401 });
    }
    let body: WriteRequest["body"];
    try {
      body = JSON.parse(text);
    } catch {
      record(400, { entries: [] });
      return Response.json({
        error: { code: 400, message: "Invalid JSON payload", status: "INVALID_ARGUMENT" },
      }, { status: 400 });
    }
    const errors: Record<string, { code: number; message: string }> = {};
    const bad = (i: number, message: string) => (errors[String(i)] = { code: 3, message });
    body.entries.forEach((e, i) => {
      const why = !/^projects\/[^/]+\/logs\/[^/]+/.test(String(e.logName))
        ? `Invalid log name ${e.logName}`
        : !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/.test(String(e.timestamp))
        ? "Invalid timestamp"
        : !("jsonPayload" in e) && !("textPayload" in e)
        ? "Missing payload"
        : undefined;
      if (why !== undefined) bad(i, why);
      else {
        const r = this.refuse?.(e);
        if (r) errors[String(i)] = r;
      }
    });
    const refused = Object.keys(errors).length;
    body.entries.forEach((e, i) => {
      if (!(String(i) in errors) && body.partialSuccess) this.entries.push(e);
    });
    if (refused === 0) {
      if (!body.partialSuccess) this.entries.push(...body.entries);
      record(200, body);
      return Response.json({});
    }
    record(400, body);
    return Response.json({
      error: {
        code: 400,
        message: `Log entries with invalid fields: ${refused}`,
        status: "INVALID_ARGUMENT",
        details: [{
          "@type": "type.googleapis.com/google.logging.v2.WriteLogEntriesPartialErrors",
          logEntryErrors: errors,
        }],
      },
    }, { status: 400 });
  }
}
