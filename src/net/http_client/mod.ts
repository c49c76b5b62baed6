/**
 * sluice's HTTP client for outputs: one option table ({@link httpClientOptions}), one
 * client with pooled connections, TLS per connection, proxy, compression, and one rule
 * for what an answer means.
 */
export {
  type HttpAnswer,
  HttpClient,
  type HttpClientSettings,
  type HttpRequest,
} from "./client.ts";
export { answerHeader, answerJson } from "./answer.ts";
export { compress, type Compression, parseCompression } from "./compress.ts";
export { type Delivery, postDelivered } from "./deliver.ts";
export {
  type ClientChoices,
  type ClientOptionValues,
  type ClientOwner,
  clientSettings,
  createHttpClient,
} from "./factory.ts";
export { getJsonObject, type JsonAnswer, type JsonGet } from "./get_json.ts";
export { basicAuth, normalizePath, parseHeader, socketHost, urlHost } from "./headers.ts";
export { httpClientOptions, type HttpClientValues } from "./options.ts";
export { createUrlClient, type UrlEndpoint } from "./url_client.ts";
export { netClientOptions, tlsClientOptions } from "../options.ts";
export {
  noProxyMatches,
  parseProxy,
  type ProxyChoice,
  proxyFor,
  type ProxyTarget,
} from "./proxy.ts";
export {
  type AnswerFacts,
  classifyStatus,
  FLUENT_BIT_STATUS,
  OTLP_STATUS,
  parseRetryAfter,
  responseError,
  snippet,
  type StatusClass,
  type StatusPolicy,
} from "./status.ts";
export type { TlsSettings, TlsVersion } from "../tls.ts";
