/**
 * Forward over TLS with Fluent Bit 4.2.8, both ways, with a CA-signed test certificate
 * verified by the client: its out_forward (`tls on`, `tls.ca_file`) into sluice's forward
 * input (`tls.crt_file`/`tls.key_file`) with the shared-key handshake and acks, and sluice's
 * forward output (`tls.ca_file`) into its in_forward. Skipped without the peer or openssl.
 */
import { makeTestCerts } from "../src/testing/tls_certs.ts";
import {
  fluentBitPath,
  fluentBitPlugin,
  NO_PEER,
  spawnFluentBit,
} from "../src/testing/fluent_bit.ts";
import { freePort, tempDirWith, waitFor } from "./_helpers.ts";
import { runSluice } from "./_forward.ts";

const bin = await fluentBitPath();

Deno.test({
  name: "forward over TLS: Fluent Bit → sluice and sluice → Fluent Bit, certificates verified",
  ignore: bin === null,
  async fn() {
    const dir = await tempDirWith({});
    const certs = await makeTestCerts(dir);
    if (!certs) {
      console.log("skipped: openssl not found");
      return;
    }
    const [sluiceIn, fbIn] = [freePort(), freePort()];
    await Deno.writeTextFile(
      `${dir}/sluice.yaml`,
      `
pipeline:
  inputs:
    - name: forward
      listen: 127.0.0.1
      port: ${sluiceIn}
      tls: on
      tls.crt_file: ${certs.certFile}
      tls.key_file: ${certs.keyFile}
      shared_key: k
    - { name: dummy, tag: tosend, dummy: '{"via":"sluice"}', samples: 1 }
  outputs:
    - { name: stdout, match: "fromfb" }
    - name: forward
      match: tosend
      host: 127.0.0.1
      port: ${fbIn}
      tls: on
      tls.verify: on
      tls.ca_file: ${certs.caFile}
      require_ack_response: true
`,
    );
    const fb = spawnFluentBit(bin!, [
      "-f",
      "1",
      ...fluentBitPlugin("-i", "forward", { listen: "127.0.0.1", port: fbIn }),
      "-p",
      "tls=on",
      "-p",
      `tls.crt_file=${certs.certFile}`,
      "-p",
      `tls.key_file=${certs.keyFile}`,
      "-i",
      "dummy",
      "-t",
      "fromfb",
      "-p",
      'dummy={"via":"fluent-bit"}',
      "-p",
      "samples=1",
      "-o",
      "stdout",
      "-m",
      "tosend",
      "-o",
      "forward",
      "-m",
      "fromfb",
      "-p",
      "host=127.0.0.1",
      "-p",
      `port=${sluiceIn}`,
      "-p",
      "tls=on",
      "-p",
      "tls.verify=on",
      "-p",
      `tls.ca_file=${certs.caFile}`,
      "-p",
      "tls.vhost=localhost",
      "-p",
      "shared_key=k",
      "-p",
      "require_ack_response=true",
    ]);
    const child = runSluice(`${dir}/sluice.yaml`);
    const out = () => child.stdout();
    const err = () => child.stderr();
    try {
      await waitFor(() => out().includes(`fromfb: [[`) && out().includes(`{"via"=>"fluent-bit"}`), {
        what: "Fluent Bit's record in sluice over TLS",
        timeoutMs: 20_000,
      }).catch((e) => {
        throw new Error(`${e.message}\nsluice:\n${err()}\nFluent Bit:\n${fb.stderr()}`);
      });
      await waitFor(() => fb.stdout().includes(`{"via"=>"sluice"}`), {
        what: "sluice's record in Fluent Bit over TLS",
        timeoutMs: 20_000,
      }).catch((e) => {
        throw new Error(`${e.message}\nsluice:\n${err()}\nFluent Bit:\n${fb.stderr()}`);
      });
    } finally {
      await child.stop();
      await fb.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

if (bin === null) console.log(NO_PEER);
