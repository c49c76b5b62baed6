/**
 * Helpers for the stackdriver tests: a service account key file the receiver knows, and a
 * YAML pipeline into the stackdriver output pointed at the receiver.
 */
import type { GoogleReceiver } from "../src/testing/google_receiver.ts";
import { serviceAccount } from "../src/testing/google_service_account.ts";

/** The service account of the tests. */
export const EMAIL = "writer@test-project.iam.gserviceaccount.com";

/** A temp dir with a key file of a new account the receiver knows (or not: `known`). */
export async function setup(g: GoogleReceiver, known = true) {
  const dir = await Deno.makeTempDir({ prefix: "sluice_sd_" });
  const sa = await serviceAccount(EMAIL, `${g.url}/token`);
  if (known) g.accounts.set(EMAIL, sa.publicKey);
  else g.accounts.set(EMAIL, (await serviceAccount(EMAIL, `${g.url}/token`)).publicKey);
  await Deno.writeTextFile(`${dir}/key.json`, sa.keyFile);
  return dir;
}

/** A YAML config: `input` into the stackdriver output at the receiver, dead letters kept. */
export function yaml(
  g: GoogleReceiver,
  dir: string,
  input: string[],
  output: string[] = [],
): string {
  const ind = (l: string[], pad: string) => l.map((x) => `${pad}${x}\n`).join("");
  return `service:
  flush: 0.2
  grace: 5
  log_level: warn
  scheduler.base: 0.05
  scheduler.cap: 0.2
  storage.path: ${dir}/store
  storage.keep.rejected: on
pipeline:
  inputs:
    - ${input[0]}
${ind(input.slice(1), "      ")}  outputs:
    - name: stackdriver
      match: "*"
      google_service_credentials: ${dir}/key.json
      cloud_logging_base_url: ${g.url}
${ind(output, "      ")}`;
}
