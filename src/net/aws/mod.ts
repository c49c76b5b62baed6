/**
 * What sluice's AWS outputs share: SigV4 request signing ({@link signRequest}), the
 * credential chain ({@link defaultCredentials}: environment, shared file, ECS, EC2 IMDSv2,
 * STS AssumeRole), AWS error answers, and the server-side check ({@link verifySignature}) the
 * local test receivers use.
 */
export {
  amzDate,
  type AwsCredentials,
  sha256Hex,
  type SignableRequest,
  type SignOptions,
  signRequest,
} from "./sigv4.ts";
export {
  type CanonicalParts,
  canonicalQuery,
  canonicalRequest,
  normalizeUriPath,
  type PathRules,
  uriEncode,
} from "./canonical.ts";
export {
  cachedChain,
  type ClosableProvider,
  type CredentialProvider,
  type CredentialSource,
  type DefaultChainOptions,
  defaultCredentials,
  type Env,
  envSource,
  processEnv,
  staticProvider,
} from "./credentials.ts";
export { profileProvider } from "./profile.ts";
export { ecsProvider, imdsProvider } from "./metadata.ts";
export {
  type AssumeRoleOptions,
  assumeRoleProvider,
  type WebIdentityOptions,
  webIdentityProvider,
} from "./sts.ts";
export { EndpointClients, type UrlRequest } from "./endpoint_client.ts";
export type { HttpAnswer, HttpClient } from "../http_client/client.ts";
export type { ClientOptionValues } from "../http_client/factory.ts";
export { serviceEndpoint } from "./endpoint.ts";
export { ServiceClient, type ServiceClientOptions, type ServiceRequest } from "./service_client.ts";
export { awsCallError, type AwsError, readAwsError } from "./service_error.ts";
export { type ReceivedRequest, type Verdict, verifySignature } from "./verify.ts";
