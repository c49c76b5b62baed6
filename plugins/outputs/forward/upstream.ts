/**
 * Fluent Bit's upstream file, which lists the nodes a forward output balances over:
 * classic `[UPSTREAM]` with a `name`, then one `[NODE]` section per node (`name`, `host`,
 * `port` and the node's own forward keys), or YAML `upstream_servers: [{name, nodes: [...]}]`.
 * As in Fluent Bit, a node's keys (shared_key, tls, compress, ...) come from the node only.
 */
import { parse as parseYaml } from "yaml";

/** One node of an upstream file. */
export interface UpstreamNode {
  /** The node's name (for logs); `node-N` when unset. */
  name: string;
  /** Host to connect to. */
  host: string;
  /** TCP port. */
  port: number;
  /** The node's other keys, lowercased, values as written. */
  properties: Record<string, string>;
}

/** An upstream file's name and nodes. */
export interface Upstream {
  /** The `[UPSTREAM]` name. */
  name: string;
  /** Its nodes, in file order. */
  nodes: UpstreamNode[];
}

function node(props: Record<string, string>, index: number, file: string): UpstreamNode {
  const { name, host, port, ...rest } = props;
  const p = port === undefined ? 24224 : Number(port);
  if (!Number.isInteger(p) || p < 0 || p > 65535) {
    throw new SyntaxError(
      `Cannot read upstream file ${file}: node ${index + 1} has port "${port}"`,
    );
  }
  return {
    name: name ?? `node-${index + 1}`,
    host: host ?? "127.0.0.1",
    port: p,
    properties: rest,
  };
}

function fromClassic(text: string, file: string): Upstream {
  let name = "";
  const nodes: Record<string, string>[] = [];
  let section: "upstream" | "node" | null = null;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const header = /^\[\s*([A-Za-z_]+)\s*\]$/.exec(line);
    if (header) {
      const kind = header[1]!.toLowerCase();
      if (kind !== "upstream" && kind !== "node") {
        throw new SyntaxError(
          `Cannot read upstream file ${file}:${i + 1}: unknown section [${header[1]}]`,
        );
      }
      section = kind;
      if (kind === "node") nodes.push({});
      return;
    }
    const m = /^(\S+)\s*(.*)$/.exec(line)!;
    const key = m[1]!.toLowerCase();
    if (section === "upstream" && key === "name") name = m[2]!;
    else if (section === "node") nodes[nodes.length - 1]![key] = m[2]!;
    else {throw new SyntaxError(
        `Cannot read upstream file ${file}:${i + 1}: "${m[1]}" outside a section`,
      );}
  });
  return { name, nodes: nodes.map((n, i) => node(n, i, file)) };
}

function fromYaml(text: string, file: string): Upstream {
  const doc = parseYaml(text) as { upstream_servers?: { name?: string; nodes?: unknown[] }[] };
  const server = doc?.upstream_servers?.[0];
  if (!server || !Array.isArray(server.nodes)) {
    throw new SyntaxError(
      `Cannot read upstream file ${file}: expected upstream_servers with nodes`,
    );
  }
  const nodes = server.nodes.map((n, i) => {
    const props: Record<string, string> = {};
    for (const [k, v] of Object.entries((n ?? {}) as Record<string, unknown>)) {
      props[k.toLowerCase()] = String(v);
    }
    return node(props, i, file);
  });
  return { name: String(server.name ?? ""), nodes };
}

/**
 * Parses an upstream file's text; throws SyntaxError naming the file and line.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const up = parseUpstream("[UPSTREAM]\n name u\n[NODE]\n host 10.0.0.1\n port 24224\n", "u.conf");
 * assertEquals(up.nodes.map((n) => n.host), ["10.0.0.1"]);
 * ```
 */
export function parseUpstream(text: string, file: string): Upstream {
  const up = /\.ya?ml$/i.test(file) ? fromYaml(text, file) : fromClassic(text, file);
  if (up.nodes.length === 0) {
    throw new SyntaxError(`Cannot read upstream file ${file}: it has no [NODE]`);
  }
  return up;
}
