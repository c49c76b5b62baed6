/**
 * A client of the server a URL names (`https://logging.googleapis.com`, a token endpoint, a
 * metadata server) with an output's own TLS, proxy and net settings, and the URL's path as
 * the base of the requests.
 */
import { OptionError } from "../../plugin/option_error.ts";
import type { HttpClient } from "./client.ts";
import {
  type ClientChoices,
  type ClientOptionValues,
  type ClientOwner,
  createHttpClient,
} from "./factory.ts";
import { socketHost } from "./headers.ts";

/** A client and the base path of one endpoint. */
export interface UrlEndpoint {
  /** The client of the URL's host and port. */
  client: HttpClient;
  /** The URL's path without a trailing slash (`/token`; empty for `https://host/`). */
  path: string;
}

/**
 * The endpoint of `url`, the value of option `key`: host, port and TLS come from the URL,
 * everything else from the output's options `o`. Throws OptionError naming `key` for a
 * value that is not a URL.
 *
 * @example
 * ```ts
 * import { Logger, memorySink } from "../../engine/log.ts";
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * const log = new Logger({ component: "output:x.0", sink: memorySink() });
 * const e = createUrlClient("token_uri", "https://[::1]:8443/oauth2/token/", {}, {
 *   name: "x.0",
 *   log,
 * });
 * assertEquals(e.path, "/oauth2/token");
 * assertEquals(e.client.settings.port, 8443);
 * assertEquals(e.client.settings.host, "::1");
 * e.client.close();
 * ```
 */
export function createUrlClient(
  key: string,
  url: string,
  o: Partial<ClientOptionValues>,
  owner: ClientOwner,
  choices?: ClientChoices,
): UrlEndpoint {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new OptionError(
      key,
      `Cannot use ${JSON.stringify(url)} for "${key}": expected a URL like https://host/path`,
    );
  }
  const tls = u.protocol === "https:";
  const client = createHttpClient(
    {
      ...o,
      host: socketHost(u.hostname),
      port: u.port ? Number(u.port) : tls ? 443 : 80,
      tls,
    },
    owner,
    choices,
  );
  return { client, path: u.pathname.replace(/\/+$/, "") };
}
