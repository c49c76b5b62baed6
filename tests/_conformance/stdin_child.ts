/**
 * Child process of the conformance test for inputs fed through stdin: runs the input
 * named by the first argument on this process's stdin, with the scratch directory of the
 * second, and prints its counts as one JSON line.
 */
import { registry } from "../../plugins/registry.ts";
import { testInputContext } from "../../src/testing/input_context.ts";
import { exampleValues } from "./example.ts";
import { runInput } from "./inputs.ts";

const [name = "", dir = ""] = Deno.args;
const p = registry.inputs.get(name);
if (!p) throw new RangeError(`No input named "${name}"`);
const env = { dir, httpPort: 0, tcpPort: 0, udpPort: 0, forwardPort: 0 };
const ctx = testInputContext({ name: `${name}.0` });
const counts = await runInput(p, exampleValues(p, registry, env), ctx, env);
console.log(JSON.stringify(counts));
