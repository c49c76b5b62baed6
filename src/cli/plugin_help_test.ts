import { registry } from "../../plugins/registry.ts";
import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { describePlugin } from "./plugin_help.ts";

function keyLines(help: string, key: string): string[] {
  return help.split("\n").filter((l) => l.trimStart().startsWith(`${key} `));
}

Deno.test("plugins http / opentelemetry: the shared HTTP client keys once, in their own section", () => {
  for (const name of ["http", "opentelemetry"]) {
    const all = describePlugin(registry, name)!;
    const help = all.slice(all.indexOf(`output plugin "${name}"`)); // the input, when any, is first
    const shared = help.indexOf("HTTP client options");
    assert(shared > help.indexOf("Options:"), `${name}: a shared section after its own keys`);
    for (const key of ["tls.verify", "tls.vhost", "net.connect_timeout", "proxy", "header"]) {
      const lines = keyLines(help, key);
      assertEquals(lines.length, 1, `${name}: ${key} once`);
      assert(help.indexOf(lines[0]) > shared, `${name}: ${key} in the shared section`);
    }
    assertStringIncludes(keyLines(help, "tls.verify")[0], "for this output only");
  }
  const both = describePlugin(registry, "opentelemetry")!;
  const otlp = both.slice(both.indexOf('output plugin "opentelemetry"'));
  assertEquals(keyLines(otlp, "uri").length, 0, "OTLP has logs_uri and friends, not uri");
  assert(otlp.indexOf(keyLines(otlp, "logs_uri")[0]) < otlp.indexOf("HTTP client options"));
});

Deno.test("plugins tcp / http: the tls.* and net.* keys under one shared heading, declared once", () => {
  const heading = "TLS and net.* options";
  for (const name of ["tcp", "http"]) {
    const all = describePlugin(registry, name)!;
    for (const kind of ["input", "output"]) {
      const at = all.indexOf(`${kind} plugin "${name}"`);
      const end = kind === "input" ? all.indexOf(`output plugin "${name}"`) : all.length;
      const help = all.slice(at, end);
      const shared = help.indexOf(heading);
      assert(shared > help.indexOf("Options:"), `${kind} ${name}: the shared heading`);
      for (const key of ["tls", "tls.crt_file", "tls.key_file"]) {
        const lines = keyLines(help, key);
        assertEquals(lines.length, 1, `${kind} ${name}: ${key} once`);
        assert(help.indexOf(lines[0]) > shared, `${kind} ${name}: ${key} under ${heading}`);
      }
    }
  }
  const tcpOut = registry.outputs.get("tcp")!.options;
  const httpOut = registry.outputs.get("http")!.options;
  const tcpIn = registry.inputs.get("tcp")!.options;
  const httpIn = registry.inputs.get("http")!.options;
  for (const key of ["tls", "tls.verify", "tls.vhost", "net.connect_timeout"]) {
    assert(tcpOut[key] === httpOut[key], `output ${key}: one declaration`);
  }
  for (const key of ["tls", "tls.crt_file", "tls.key_file", "net.io_timeout"]) {
    assert(tcpIn[key] === httpIn[key], `input ${key}: one declaration`);
  }
});
