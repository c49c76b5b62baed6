/**
 * Which account the stackdriver output writes as, as Fluent Bit finds it: the
 * `google_service_credentials` file (else GOOGLE_APPLICATION_CREDENTIALS, else
 * GOOGLE_SERVICE_CREDENTIALS), else `service_account_email` / `service_account_secret`
 * (else SERVICE_ACCOUNT_EMAIL / SERVICE_ACCOUNT_SECRET); without a private key, the token
 * comes from the metadata server for that email, or the instance's `default` account.
 */
import { OptionError } from "../../../src/plugin.ts";
import type { StackdriverOptions } from "./options.ts";

/** The default token endpoint (the JWT's audience when the file names none). */
export const GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";

/** The account, and the project it belongs to when the key file says. */
export interface Account {
  email: string;
  /** PEM private key; undefined means: ask the metadata server. */
  privateKey?: string;
  tokenUri: string;
  projectId?: string;
}

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined;
  }
}

/** The account of `o`; throws OptionError when the key file cannot be read or used. */
export function resolveAccount(o: StackdriverOptions): Account {
  const file = o.google_service_credentials ?? env("GOOGLE_APPLICATION_CREDENTIALS") ??
    env("GOOGLE_SERVICE_CREDENTIALS");
  if (file) {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(Deno.readTextFileSync(file));
    } catch (e) {
      throw new OptionError(
        "google_service_credentials",
        `Cannot read "google_service_credentials" ${JSON.stringify(file)}: ${(e as Error).message}`,
      );
    }
    const str = (k: string) => typeof parsed[k] === "string" ? parsed[k] as string : undefined;
    const email = str("client_email");
    const privateKey = str("private_key");
    if (!email || !privateKey) {
      throw new OptionError(
        "google_service_credentials",
        `Cannot use "google_service_credentials" ${JSON.stringify(file)}: ` +
          "it has no client_email or private_key (a service account key file is needed)",
      );
    }
    return {
      email,
      privateKey,
      tokenUri: str("token_uri") ?? GOOGLE_TOKEN_URI,
      projectId: str("project_id"),
    };
  }
  const email = o.service_account_email ?? env("SERVICE_ACCOUNT_EMAIL");
  const privateKey = o.service_account_secret ?? env("SERVICE_ACCOUNT_SECRET");
  if (privateKey && !email) {
    throw new OptionError(
      "service_account_secret",
      'Cannot use "service_account_secret" without "service_account_email"',
    );
  }
  return { email: email ?? "default", privateKey, tokenUri: GOOGLE_TOKEN_URI };
}
