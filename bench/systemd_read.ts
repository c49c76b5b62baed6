/**
 * One way of reading a journal directory to its end and building Fluent Bit's record
 * bodies, for `bench/systemd.ts` to measure under GNU time:
 * `deno run -A bench/systemd_read.ts journalctl|libsystemd DIR` prints the entries read.
 * `journalctl` is what the systemd input does (journalctl's export stream, parsed here);
 * `libsystemd` reads the files in-process through FFI (`Deno.dlopen`), as Fluent Bit's
 * C plugin does, to weigh the alternative.
 */
import { ExportReader, type JournalEntry } from "../plugins/inputs/systemd/export_reader.ts";
import { entryBody } from "../plugins/inputs/systemd/records.ts";

const [mode, dir] = Deno.args;
if (!dir || (mode !== "journalctl" && mode !== "libsystemd")) {
  console.error("usage: systemd_read.ts journalctl|libsystemd DIR");
  Deno.exit(2);
}
const shape = { stripUnderscores: false, lowercase: false, maxFields: 8000 };
let count = 0;
let fields = 0;

if (mode === "journalctl") {
  const child = new Deno.Command("journalctl", {
    args: ["--output=export", "--no-pager", "--quiet", `--directory=${dir}`],
    stdout: "piped",
  }).spawn();
  const reader = new ExportReader();
  for await (const piece of child.stdout) {
    const batch: JournalEntry[] = [];
    reader.push(piece, batch);
    for (const e of batch) fields += Object.keys(entryBody(e, shape)).length;
    count += batch.length;
  }
  await child.status;
} else {
  const lib = Deno.dlopen("libsystemd.so.0", {
    sd_journal_open_directory: { parameters: ["buffer", "buffer", "i32"], result: "i32" },
    sd_journal_next: { parameters: ["pointer"], result: "i32" },
    sd_journal_restart_data: { parameters: ["pointer"], result: "void" },
    sd_journal_enumerate_data: { parameters: ["pointer", "buffer", "buffer"], result: "i32" },
    sd_journal_get_realtime_usec: { parameters: ["pointer", "buffer"], result: "i32" },
    sd_journal_close: { parameters: ["pointer"], result: "void" },
  });
  const sym = lib.symbols;
  const handle = new BigUint64Array(1);
  const rc = sym.sd_journal_open_directory(
    new Uint8Array(handle.buffer),
    new TextEncoder().encode(`${dir}\0`),
    0,
  );
  if (rc < 0) throw new Error(`sd_journal_open_directory: ${rc}`);
  const j = Deno.UnsafePointer.create(handle[0]!);
  const data = new BigUint64Array(1);
  const length = new BigUint64Array(1);
  const usec = new BigUint64Array(1);
  const dataBytes = new Uint8Array(data.buffer);
  const lengthBytes = new Uint8Array(length.buffer);
  const decoder = new TextDecoder();
  while (sym.sd_journal_next(j) > 0) {
    sym.sd_journal_get_realtime_usec(j, new Uint8Array(usec.buffer));
    sym.sd_journal_restart_data(j);
    const entry: JournalEntry = {
      cursor: "",
      realtime: Number(usec[0]),
      names: [],
      values: [],
      bytes: 0,
    };
    while (sym.sd_journal_enumerate_data(j, dataBytes, lengthBytes) > 0) {
      const ptr = Deno.UnsafePointer.create(data[0]!)!;
      const text = decoder.decode(
        new Deno.UnsafePointerView(ptr).getArrayBuffer(Number(length[0])),
      );
      const eq = text.indexOf("=");
      entry.names.push(text.slice(0, eq));
      entry.values.push(text.slice(eq + 1));
    }
    fields += Object.keys(entryBody(entry, shape)).length;
    count++;
  }
  sym.sd_journal_close(j);
  lib.close();
}
console.log(JSON.stringify({ mode, entries: count, fields }));
