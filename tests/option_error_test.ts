/** A plugin's OptionError is reported at the key it names, not at the first key it quotes. */
import { assertEquals, assertMatch } from "../src/testing/assert.ts";
import { runSluice, tempDirWith } from "./_helpers.ts";

Deno.test("an OptionError from create() points at its key's line", async () => {
  const dir = await tempDirWith({
    "conflict.yaml": [
      "pipeline:",
      "  inputs:",
      "    - name: dummy",
      "  outputs:",
      "    - name: http",
      "      match: '*'",
      "      http_user: me",
      "      bearer_token: secret",
      "",
    ].join("\n"),
  });
  const r = await runSluice(["validate", "-c", `${dir}/conflict.yaml`]);
  assertEquals(r.code, 2, r.stderr);
  // The message quotes "http_user" first; the error names bearer_token, on line 8.
  assertMatch(
    r.stderr,
    /conflict\.yaml:8:7: key "bearer_token": output "http\.0": Cannot use both/,
  );
});
