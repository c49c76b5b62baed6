/**
 * Where AWS keys come from: the {@link CredentialProvider} interface, a cache that refreshes
 * temporary keys before they expire, and the default chain of Fluent Bit and the AWS SDKs
 * (environment, shared credentials file, ECS container endpoint, EC2 instance metadata), with
 * `role_arn` (STS AssumeRole) on top in {@link defaultCredentials}.
 */
import { PermanentError, RetryableError } from "../../engine/errors.ts";
import type { AwsCredentials } from "./sigv4.ts";
import { EndpointClients } from "./endpoint_client.ts";
import { ecsProvider, imdsProvider } from "./metadata.ts";
import { profileProvider } from "./profile.ts";
import { assumeRoleProvider, webIdentityProvider } from "./sts.ts";

import type { CredentialProvider, CredentialSource, Env } from "./provider.ts";
import { processEnv } from "./provider.ts";

export type { AwsCredentials } from "./sigv4.ts";
export {
  type CredentialProvider,
  type CredentialSource,
  type Env,
  processEnv,
} from "./provider.ts";

/**
 * Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`;
 * undefined unless both keys are set.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * const env = new Map([["AWS_ACCESS_KEY_ID", "AKID"], ["AWS_SECRET_ACCESS_KEY", "s3cr3t"]]);
 * assertEquals(await envSource((n) => env.get(n))(), {
 *   accessKeyId: "AKID",
 *   secretAccessKey: "s3cr3t",
 * });
 * ```
 */
export function envSource(env: Env = processEnv): CredentialSource {
  return () => {
    const accessKeyId = env("AWS_ACCESS_KEY_ID");
    const secretAccessKey = env("AWS_SECRET_ACCESS_KEY");
    if (!accessKeyId || !secretAccessKey) return Promise.resolve(undefined);
    const sessionToken = env("AWS_SESSION_TOKEN");
    return Promise.resolve({
      accessKeyId,
      secretAccessKey,
      ...(sessionToken ? { sessionToken } : {}),
    });
  };
}

/** Refresh this long before `expiration` (the SDKs' five minutes). */
export const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * A provider over sources tried in order: the first that applies gives the credentials,
 * which are cached until `REFRESH_MARGIN_MS` before their expiration (forever when they
 * have none) or until {@link CredentialProvider.invalidate}. Concurrent callers share one
 * fetch. When no source applies, `get` throws PermanentError naming them; when one fails
 * (an endpoint down), RetryableError.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * let calls = 0;
 * const provider = cachedChain([
 *   () => Promise.resolve(undefined),
 *   () => Promise.resolve({ accessKeyId: `AKID${++calls}`, secretAccessKey: "s" }),
 * ], { names: ["none", "counting"] });
 * assertEquals((await provider.get()).accessKeyId, "AKID1");
 * assertEquals((await provider.get()).accessKeyId, "AKID1");
 * provider.invalidate();
 * assertEquals((await provider.get()).accessKeyId, "AKID2");
 * ```
 */
export function cachedChain(
  sources: CredentialSource[],
  opts: { names: string[]; now?: () => number },
): CredentialProvider {
  const now = opts.now ?? Date.now;
  let cached: AwsCredentials | undefined;
  let pending: Promise<AwsCredentials> | undefined;
  const fresh = (c: AwsCredentials) =>
    c.expiration === undefined || c.expiration.getTime() - REFRESH_MARGIN_MS > now();
  async function resolve(): Promise<AwsCredentials> {
    const failures: string[] = [];
    for (const [i, source] of sources.entries()) {
      const name = opts.names[i] ?? `source ${i}`;
      try {
        const creds = await source();
        if (creds) return creds;
      } catch (e) {
        if (e instanceof PermanentError) throw e;
        failures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (failures.length > 0) {
      throw new RetryableError(`Cannot get AWS credentials: ${failures.join("; ")}`);
    }
    throw new PermanentError(
      `No AWS credentials found (tried ${opts.names.join(", ")}): set AWS_ACCESS_KEY_ID and ` +
        `AWS_SECRET_ACCESS_KEY, a profile in ~/.aws/credentials, or run where the ECS or EC2 ` +
        `metadata service gives a role`,
    );
  }
  return {
    get() {
      if (cached && fresh(cached)) return Promise.resolve(cached);
      pending ??= resolve().then((c) => {
        cached = c;
        return c;
      }).finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/** Fixed credentials (tests, a config that names keys). */
export function staticProvider(creds: AwsCredentials): CredentialProvider {
  return { get: () => Promise.resolve(creds), invalidate() {} };
}

/** What {@link defaultCredentials} reads. */
export interface DefaultChainOptions {
  /** The region STS is reached in (its regional endpoint). */
  region: string;
  /** `role_arn`: assume this role with the chain's credentials. */
  roleArn?: string;
  /** `external_id` for the AssumeRole call. */
  externalId?: string;
  /** `sts_endpoint`: STS at this URL instead of `https://sts.<region>.amazonaws.com`. */
  stsEndpoint?: string;
  /** `profile`: the shared-file profile (else AWS_PROFILE, else `default`). */
  profile?: string;
  /** Environment lookup; the process's when omitted. */
  env?: Env;
  /** Session name for AssumeRole. */
  sessionName?: string;
}

/** A credential provider and the clients it holds. */
export interface ClosableProvider extends CredentialProvider {
  /** Closes the provider's connections. Safe to call twice. */
  close(): void;
}

/**
 * The standard chain: environment, shared credentials file (`AWS_SHARED_CREDENTIALS_FILE` or
 * `~/.aws/credentials`, profile `AWS_PROFILE` or `default`), web identity (EKS IRSA:
 * `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`), the ECS container endpoint
 * (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI`), EC2 instance metadata (IMDSv2;
 * `AWS_EC2_METADATA_SERVICE_ENDPOINT`, off with `AWS_EC2_METADATA_DISABLED=true`); with
 * `roleArn`, STS AssumeRole signed by the chain's credentials.
 */
export function defaultCredentials(opts: DefaultChainOptions): ClosableProvider {
  const env = opts.env ?? processEnv;
  const clients = new EndpointClients();
  const base = cachedChain([
    envSource(env),
    profileProvider({ env, profile: opts.profile }),
    webIdentityProvider({ env, clients, region: opts.region, endpoint: opts.stsEndpoint }),
    ecsProvider({ env, clients }),
    imdsProvider({ env, clients }),
  ], {
    names: [
      "environment",
      "shared credentials file",
      "web identity (EKS)",
      "ECS endpoint",
      "EC2 metadata",
    ],
  });
  if (!opts.roleArn) return { ...base, close: () => clients.close() };
  const role = cachedChain([assumeRoleProvider({
    base,
    clients,
    roleArn: opts.roleArn,
    externalId: opts.externalId,
    region: opts.region,
    endpoint: opts.stsEndpoint,
    sessionName: opts.sessionName,
  })], { names: ["STS AssumeRole"] });
  return {
    get: () => role.get(),
    invalidate() {
      role.invalidate();
      base.invalidate();
    },
    close: () => clients.close(),
  };
}
