import { PermanentError, RetryableError } from "../../engine/errors.ts";
import { assertEquals, assertRejects, assertStringIncludes } from "../../testing/assert.ts";
import { defaultCredentials } from "./credentials.ts";
import { verifySignature } from "./verify.ts";

const BASE = { accessKeyId: "AKIDBASE", secretAccessKey: "base-secret" };
const later = () => new Date(Date.now() + 3600_000).toISOString();

/** A local stand-in for ECS, IMDSv2 and STS on one port, checking what it is sent. */
function metadataServer() {
  const seen: string[] = [];
  let stsCalls = 0;
  let expireStsIn = 3600_000;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    seen.push(`${req.method} ${url.pathname}`);
    if (url.pathname === "/ecs/creds") {
      if (req.headers.get("authorization") !== "ecs-token") {
        return new Response("no", { status: 401 });
      }
      return Response.json({
        AccessKeyId: "ASIAECS",
        SecretAccessKey: "ecs-secret",
        Token: "ecs-session",
        Expiration: later(),
      });
    }
    if (url.pathname === "/latest/api/token" && req.method === "PUT") {
      if (req.headers.get("x-aws-ec2-metadata-token-ttl-seconds") !== "21600") {
        return new Response("", { status: 400 });
      }
      return new Response("imds-token");
    }
    if (url.pathname.startsWith("/latest/meta-data/iam/security-credentials/")) {
      if (req.headers.get("x-aws-ec2-metadata-token") !== "imds-token") {
        return new Response("", { status: 401 });
      }
      const role = url.pathname.split("/").pop();
      if (role === "") return new Response("my-role\n");
      return Response.json({
        Code: "Success",
        AccessKeyId: "ASIAIMDS",
        SecretAccessKey: "imds-secret",
        Token: "imds-session",
        Expiration: later(),
      });
    }
    if (url.pathname === "/" && url.searchParams.get("Action") === "AssumeRoleWithWebIdentity") {
      seen.push(
        `web identity ${url.searchParams.get("RoleArn")} ${
          url.searchParams.get("WebIdentityToken")
        }`,
      );
      if (req.headers.has("authorization")) return new Response("signed", { status: 400 });
      if (url.searchParams.get("WebIdentityToken") !== "eks-jwt") {
        return new Response(
          "<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>bad token</Message></Error></ErrorResponse>",
          { status: 400 },
        );
      }
      return new Response(
        "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>" +
          "<AccessKeyId>ASIAWEB</AccessKeyId><SecretAccessKey>web-secret</SecretAccessKey>" +
          `<SessionToken>web-session</SessionToken><Expiration>${later()}</Expiration>` +
          "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>",
      );
    }
    if (url.pathname === "/" && url.searchParams.get("Action") === "AssumeRole") {
      const verdict = await verifySignature(
        {
          method: req.method,
          target: `${url.pathname}${url.search}`,
          headers: req.headers,
          body: new Uint8Array(await req.arrayBuffer()),
        },
        (id) => id === BASE.accessKeyId ? BASE.secretAccessKey : undefined,
      );
      if (!verdict.ok || verdict.service !== "sts") {
        const code = verdict.ok ? "InvalidService" : verdict.code;
        return new Response(
          `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>bad</Message></Error></ErrorResponse>`,
          { status: 403 },
        );
      }
      if (url.searchParams.get("RoleArn") !== "arn:aws:iam::123456789012:role/logs") {
        return new Response(
          "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not allowed to assume</Message></Error></ErrorResponse>",
          { status: 403 },
        );
      }
      stsCalls++;
      const exp = new Date(Date.now() + expireStsIn).toISOString();
      return new Response(
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>` +
          `<Credentials><AccessKeyId>ASIAROLE${stsCalls}</AccessKeyId><SecretAccessKey>role-secret</SecretAccessKey>` +
          `<SessionToken>role-session</SessionToken><Expiration>${exp}</Expiration></Credentials>` +
          `</AssumeRoleResult></AssumeRoleResponse>`,
        { headers: { "content-type": "text/xml" } },
      );
    }
    return new Response("not found", { status: 404 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    seen,
    get stsCalls() {
      return stsCalls;
    },
    expireStsIn(ms: number) {
      expireStsIn = ms;
    },
    stop: () => server.shutdown(),
  };
}

function envOf(vars: Record<string, string>) {
  return (name: string) => vars[name];
}

Deno.test("the chain takes keys from the environment first", async () => {
  const p = defaultCredentials({
    region: "us-east-1",
    env: envOf({
      AWS_ACCESS_KEY_ID: "AKIDENV",
      AWS_SECRET_ACCESS_KEY: "env",
      AWS_SESSION_TOKEN: "tok",
    }),
  });
  assertEquals(await p.get(), {
    accessKeyId: "AKIDENV",
    secretAccessKey: "env",
    sessionToken: "tok",
  });
  p.close();
});

Deno.test("the chain reads the profile of AWS_PROFILE from AWS_SHARED_CREDENTIALS_FILE", async () => {
  const file = await Deno.makeTempFile();
  await Deno.writeTextFile(
    file,
    "[default]\naws_access_key_id = AKIDDEF\naws_secret_access_key = def\n\n" +
      "[ops]\naws_access_key_id=AKIDOPS\naws_secret_access_key=ops\naws_session_token=opstok\n",
  );
  const env = { AWS_SHARED_CREDENTIALS_FILE: file, AWS_EC2_METADATA_DISABLED: "true" };
  const def = defaultCredentials({ region: "us-east-1", env: envOf(env) });
  assertEquals((await def.get()).accessKeyId, "AKIDDEF");
  const ops = defaultCredentials({
    region: "us-east-1",
    env: envOf({ ...env, AWS_PROFILE: "ops" }),
  });
  assertEquals(await ops.get(), {
    accessKeyId: "AKIDOPS",
    secretAccessKey: "ops",
    sessionToken: "opstok",
  });
  def.close();
  ops.close();
  await Deno.remove(file);
});

Deno.test("the chain gets ECS container credentials from the full URI with its token", async () => {
  const srv = metadataServer();
  const p = defaultCredentials({
    region: "us-east-1",
    env: envOf({
      HOME: "/nonexistent",
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${srv.url}/ecs/creds`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: "ecs-token",
    }),
  });
  const creds = await p.get();
  assertEquals([creds.accessKeyId, creds.sessionToken], ["ASIAECS", "ecs-session"]);
  assertEquals(creds.expiration instanceof Date, true);
  p.close();
  await srv.stop();
});

Deno.test("the chain gets EC2 role credentials through IMDSv2 (token first)", async () => {
  const srv = metadataServer();
  const p = defaultCredentials({
    region: "us-east-1",
    env: envOf({ HOME: "/nonexistent", AWS_EC2_METADATA_SERVICE_ENDPOINT: srv.url }),
  });
  const creds = await p.get();
  assertEquals([creds.accessKeyId, creds.sessionToken], ["ASIAIMDS", "imds-session"]);
  assertEquals(srv.seen, [
    "PUT /latest/api/token",
    "GET /latest/meta-data/iam/security-credentials/",
    "GET /latest/meta-data/iam/security-credentials/my-role",
  ]);
  p.close();
  await srv.stop();
});

Deno.test("role_arn assumes the role through STS, signed with the base keys, and refreshes on expiry", async () => {
  const srv = metadataServer();
  const env = envOf({
    AWS_ACCESS_KEY_ID: BASE.accessKeyId,
    AWS_SECRET_ACCESS_KEY: BASE.secretAccessKey,
  });
  const p = defaultCredentials({
    region: "eu-west-1",
    roleArn: "arn:aws:iam::123456789012:role/logs",
    stsEndpoint: srv.url,
    env,
  });
  assertEquals((await p.get()).accessKeyId, "ASIAROLE1");
  assertEquals((await p.get()).accessKeyId, "ASIAROLE1"); // cached
  p.invalidate();
  assertEquals((await p.get()).accessKeyId, "ASIAROLE2");
  srv.expireStsIn(60_000); // inside the refresh margin: every get fetches again
  p.invalidate();
  assertEquals((await p.get()).accessKeyId, "ASIAROLE3");
  assertEquals((await p.get()).accessKeyId, "ASIAROLE4");
  p.close();
  await srv.stop();
});

Deno.test("an STS refusal is permanent and names the role and STS's code", async () => {
  const srv = metadataServer();
  const p = defaultCredentials({
    region: "eu-west-1",
    roleArn: "arn:aws:iam::123456789012:role/other",
    stsEndpoint: srv.url,
    env: envOf({
      AWS_ACCESS_KEY_ID: BASE.accessKeyId,
      AWS_SECRET_ACCESS_KEY: BASE.secretAccessKey,
    }),
  });
  const err = await assertRejects(() => p.get(), PermanentError);
  assertStringIncludes(err.message, "role/other failed: AccessDenied: not allowed to assume");
  const bad = defaultCredentials({
    region: "eu-west-1",
    roleArn: "arn:aws:iam::123456789012:role/logs",
    stsEndpoint: srv.url,
    env: envOf({ AWS_ACCESS_KEY_ID: BASE.accessKeyId, AWS_SECRET_ACCESS_KEY: "wrong" }),
  });
  const sig = await assertRejects(() => bad.get(), PermanentError);
  assertStringIncludes(sig.message, "InvalidSignatureException");
  p.close();
  bad.close();
  await srv.stop();
});

Deno.test("no source at all is a permanent error; a source that is down is retryable", async () => {
  const none = defaultCredentials({
    region: "us-east-1",
    env: envOf({ HOME: "/nonexistent", AWS_EC2_METADATA_DISABLED: "true" }),
  });
  const err = await assertRejects(() => none.get(), PermanentError);
  assertStringIncludes(err.message, "No AWS credentials found");
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const down = defaultCredentials({
    region: "us-east-1",
    env: envOf({
      HOME: "/nonexistent",
      AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${closedPort}`,
    }),
  });
  const e2 = await assertRejects(() => down.get(), RetryableError);
  assertStringIncludes(e2.message, "EC2 metadata");
  none.close();
  down.close();
});

Deno.test("the chain exchanges an EKS web identity token (AWS_WEB_IDENTITY_TOKEN_FILE) at STS, unsigned", async () => {
  const srv = metadataServer();
  const token = await Deno.makeTempFile();
  await Deno.writeTextFile(token, "eks-jwt\n");
  const env = {
    HOME: "/nonexistent",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_WEB_IDENTITY_TOKEN_FILE: token,
    AWS_ROLE_ARN: "arn:aws:iam::1:role/pod",
  };
  const p = defaultCredentials({ region: "us-east-1", stsEndpoint: srv.url, env: envOf(env) });
  const creds = await p.get();
  assertEquals([creds.accessKeyId, creds.sessionToken], ["ASIAWEB", "web-session"]);
  assertEquals(srv.seen.at(-1), "web identity arn:aws:iam::1:role/pod eks-jwt");
  await Deno.writeTextFile(token, "stale");
  p.invalidate();
  const err = await assertRejects(() => p.get(), PermanentError);
  assertStringIncludes(err.message, "InvalidIdentityToken: bad token");
  p.close();
  await Deno.remove(token);
  await srv.stop();
});
