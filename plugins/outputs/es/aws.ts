/**
 * `aws_auth on` for the es and opensearch outputs: each bulk request signed with AWS SigV4
 * (service `aws_service_name`: `es` for Amazon OpenSearch Service, `aoss` for Serverless)
 * with keys from the standard chain (environment, shared file, ECS, EC2 metadata, or STS
 * AssumeRole for `aws_role_arn`), through `src/net/aws`.
 */
import { defaultCredentials } from "../../../src/net/aws/credentials.ts";
import { signRequest } from "../../../src/net/aws/sigv4.ts";
import type { EsOptions } from "./options.ts";

/** Signs a request (AWS SigV4): the headers to send with it. */
export interface RequestSigner {
  (req: {
    method: string;
    host: string;
    path: string;
    headers: Record<string, string>;
    body: Uint8Array;
  }): Promise<Record<string, string>>;
  /** Drops cached keys (the service said they expired). */
  invalidate?(): void;
  /** Releases the credential provider's connections. */
  close?(): void;
}

/** A signer for `o` (aws_auth on, aws_region set), and the way to drop cached keys. */
export function awsSigner(o: EsOptions): RequestSigner {
  const credentials = defaultCredentials({
    region: o.aws_region!,
    roleArn: o.aws_role_arn,
    externalId: o.aws_external_id,
    stsEndpoint: o.aws_sts_endpoint,
    profile: o.aws_profile,
  });
  const scheme = o.tls ? "https" : "http";
  const sign: RequestSigner = async (req) => {
    const signed = await signRequest({
      method: req.method,
      url: new URL(`${scheme}://${req.host}${req.path}`),
      headers: Object.entries(req.headers),
      body: req.body,
    }, {
      region: o.aws_region!,
      service: o.aws_service_name,
      credentials: await credentials.get(),
    });
    const out: Record<string, string> = {};
    for (const [name, value] of signed) out[name] = value;
    return out;
  };
  sign.invalidate = () => credentials.invalidate();
  sign.close = () => credentials.close();
  return sign;
}
