/**
 * The shapes of credential sources, apart from the chain that combines them (so each source
 * module depends on these alone).
 */
import type { AwsCredentials } from "./sigv4.ts";

/** A source of credentials for signing. */
export interface CredentialProvider {
  /** Current credentials; throws RetryableError (try later) or PermanentError. */
  get(): Promise<AwsCredentials>;
  /** Forget cached credentials (the service said they expired or are unknown). */
  invalidate(): void;
}

/** A source that may not apply: resolves undefined when it is not configured here. */
export type CredentialSource = () => Promise<AwsCredentials | undefined>;

/** Environment variables as a lookup (Deno.env.get, or a map in tests). */
export type Env = (name: string) => string | undefined;

/** `Deno.env.get` when env access is allowed, else nothing. */
export function processEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}
