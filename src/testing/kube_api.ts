/**
 * A fixture Kubernetes API server for tests and benchmarks: HTTPS on 127.0.0.1 with a
 * self-signed certificate (see tls_certs.ts), a bearer token checked on every request,
 * and answers from pod and namespace objects as the API returns them (`GET
 * /api/v1/namespaces/NS/pods/POD`, `GET /api/v1/namespaces/NS`, and the kubelet's `GET
 * /pods`). Faults can be set per path: a status, or a delay before answering.
 */
import { selfSignedCert, type TestCert } from "./tls_certs.ts";

/** A fault answered for one path instead of the object. */
export interface KubeFault {
  /** Answer with this status and a Kubernetes `Status` body. */
  status?: number;
  /** Wait this long (ms) before answering. */
  delayMs?: number;
}

/** Options of {@link startKubeApi}. */
export interface KubeApiOptions {
  /** Pod objects (`metadata.namespace` and `metadata.name` place them). */
  pods?: readonly Record<string, unknown>[];
  /** Namespace objects (`metadata.name` places them). */
  namespaces?: readonly Record<string, unknown>[];
  /** The token accepted; default `test-token`. */
  token?: string;
  /** Serve plain HTTP instead of HTTPS. */
  plain?: boolean;
}

/** A running fixture API server. */
export interface KubeApi {
  /** The port it listens on. */
  port: number;
  /** `https://127.0.0.1:PORT`. */
  url: string;
  /** The CA file that trusts the server (the certificate itself). */
  caFile: string;
  /** A file holding the accepted token. */
  tokenFile: string;
  /** Paths requested, in order (with the status answered). */
  requests: { path: string; status: number; authorization: string | null }[];
  /** Faults by path. */
  faults: Map<string, KubeFault>;
  /** Changes the accepted token (the token file is not rewritten). */
  setToken(token: string): void;
  /** Stops the server and removes its files. */
  close(): Promise<void>;
}

function statusBody(code: number, message: string): string {
  return JSON.stringify({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason: code === 404 ? "NotFound" : code === 403 ? "Forbidden" : "InternalError",
    code,
  });
}

function meta(o: Record<string, unknown>): Record<string, unknown> {
  const m = o.metadata;
  return typeof m === "object" && m !== null ? m as Record<string, unknown> : {};
}

/** Every pod and namespace object of the JSON files in `dir` (files that do not parse are skipped). */
export async function readKubeObjects(
  dir: string,
): Promise<{ pods: Record<string, unknown>[]; namespaces: Record<string, unknown>[] }> {
  const pods: Record<string, unknown>[] = [];
  const namespaces: Record<string, unknown>[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (!e.isFile) continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(await Deno.readTextFile(`${dir}/${e.name}`));
    } catch {
      continue; // some upstream fixtures are deliberately invalid JSON
    }
    if (o.kind === "Namespace") namespaces.push(o);
    else if (o.kind === "Pod" && !("items" in o)) pods.push(o);
  }
  return { pods, namespaces };
}

/**
 * Starts a {@link KubeApi} serving `options.pods` and `options.namespaces`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * const api = await startKubeApi({
 *   pods: [{ kind: "Pod", metadata: { name: "web", namespace: "prod", uid: "u1" } }],
 *   plain: true,
 * });
 * const res = await fetch(`${api.url}/api/v1/namespaces/prod/pods/web`, {
 *   headers: { Authorization: "Bearer test-token" },
 * });
 * const pod = await res.json();
 * await api.close();
 * assertEquals(pod.metadata.uid, "u1");
 * ```
 */
export async function startKubeApi(options: KubeApiOptions = {}): Promise<KubeApi> {
  const dir = await Deno.makeTempDir({ prefix: "sluice_kube_api_" });
  const cert: TestCert | undefined = options.plain ? undefined : await selfSignedCert({ dir });
  let token = options.token ?? "test-token";
  const tokenFile = `${dir}/token`;
  await Deno.writeTextFile(tokenFile, token);
  const pods = new Map<string, Record<string, unknown>>();
  for (const p of options.pods ?? []) pods.set(`${meta(p).namespace}/${meta(p).name}`, p);
  const namespaces = new Map<string, Record<string, unknown>>();
  for (const n of options.namespaces ?? []) namespaces.set(String(meta(n).name), n);
  const requests: KubeApi["requests"] = [];
  const faults = new Map<string, KubeFault>();
  const json = (status: number, body: string) =>
    new Response(body, { status, headers: { "content-type": "application/json" } });

  function answer(path: string, authorization: string | null): Response {
    if (authorization !== `Bearer ${token}`) return json(401, statusBody(401, "Unauthorized"));
    const fault = faults.get(path);
    if (fault?.status) return json(fault.status, statusBody(fault.status, "fault"));
    let m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(path);
    if (m) {
      const pod = pods.get(`${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`);
      return pod
        ? json(200, JSON.stringify(pod))
        : json(404, statusBody(404, `pods "${m[2]}" not found`));
    }
    m = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path);
    if (m) {
      const ns = namespaces.get(decodeURIComponent(m[1]!));
      return ns
        ? json(200, JSON.stringify(ns))
        : json(404, statusBody(404, `namespaces "${m[1]}" not found`));
    }
    if (path === "/pods") {
      const list = { kind: "PodList", apiVersion: "v1", metadata: {}, items: [...pods.values()] };
      return json(200, JSON.stringify(list));
    }
    return json(404, statusBody(404, "the server could not find the requested resource"));
  }

  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    ...(cert ? { cert: cert.cert, key: cert.key } : {}),
    onListen() {},
    onError: () => new Response(null, { status: 500 }),
  }, async (req) => {
    const path = new URL(req.url).pathname;
    const delay = faults.get(path)?.delayMs;
    if (delay) await new Promise((r) => setTimeout(r, delay));
    const auth = req.headers.get("authorization");
    const res = answer(path, auth);
    requests.push({ path, status: res.status, authorization: auth });
    return res;
  });
  const port = server.addr.port;
  return {
    port,
    url: `${cert ? "https" : "http"}://127.0.0.1:${port}`,
    caFile: cert?.certFile ?? "",
    tokenFile,
    requests,
    faults,
    setToken(t) {
      token = t;
    },
    async close() {
      await server.shutdown();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
