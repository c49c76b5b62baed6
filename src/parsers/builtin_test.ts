import { loadParsersFile } from "../config/load.ts";
import { resolveConfig } from "../config/resolve.ts";
import { makeRegistry } from "../plugin.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import { buildParserRegistry } from "./registry.ts";

/** Sample lines per built-in parser, in the shapes the programs write. */
const SAMPLES: Record<string, string[]> = {
  apache: [
    '192.168.2.20 - - [29/Jul/2015:10:27:10 -0300] "GET /cgi-bin/try/ HTTP/1.0" 200 3395',
    '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 ' +
    '"http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"',
    '10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "-" 408 -',
  ],
  apache2: [
    '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 ' +
    '"http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"',
    '10.1.2.3 - - [01/Jan/2024:00:00:01 +0000] "POST /api/v1 HTTP/2.0" 201 17 "-" "a \\"quoted\\" agent"',
    '10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "-" 408 -',
  ],
  apache_error: [
    "[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] client denied by server " +
    "configuration: /export/home/live/ap/htdocs/test",
    "[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] " +
    "[client 72.15.99.187] File does not exist: /usr/local/apache2/htdocs/favicon.ico",
  ],
  nginx: [
    '172.17.0.1 - - [29/Jul/2015:10:27:10 -0300] "GET / HTTP/1.1" 200 612 "-" "curl/7.68.0"',
    '93.180.71.3 - - [17/May/2015:08:05:32 +0000] "GET /downloads/product_1 HTTP/1.1" 304 0 ' +
    '"-" "Debian APT-HTTP/1.3 (0.8.16~exp12ubuntu10.21)"',
  ],
  json: ['{"time":"29/Jul/2015:10:27:10 -0300","msg":"x"}', '{"msg":"no time"}'],
  docker: ['{"log":"hello\\n","stream":"stdout","time":"2018-03-09T01:01:44.851160855Z"}'],
  "docker-daemon": [
    'time="2018-03-09T01:01:44.851160855Z" level=info msg="Daemon has completed initialization"',
  ],
  cri: [
    "2019-01-01T12:00:00.123456789+00:00 stdout F message here",
    "2023-10-06T00:17:09.669794202Z stderr P partial line",
  ],
  "syslog-rfc5424": [
    "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 " +
    'iut="3" eventSource="Application" eventID="1011"] An application event log entry...',
    "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
  ],
  "syslog-rfc3164": [
    "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
    "<13>Feb  5 17:32:18 10.0.0.99 myapp[1234]: Use the BFG!",
  ],
  "syslog-rfc3164-local": [
    "<13>Feb  5 17:32:18 myapp[1234]: Use the BFG!",
    "<30>Oct  9 12:01:02 systemd[1]: Started Session 1.",
  ],
  logfmt: ['a=1 b="two words" c'],
};

Deno.test("built-in parsers give the same records as Fluent Bit's conf/parsers.conf", async () => {
  const path = new URL("../../testdata/parsers/fb-conf__parsers.conf", import.meta.url).pathname;
  const { parsers } = await loadParsersFile(path);
  const raw = { file: path, files: [path], service: [], inputs: [], filters: [], outputs: [] };
  const defs = resolveConfig({ ...raw, parsers, multilineParsers: [] }, makeRegistry([])).parsers;
  const now = () => Date.UTC(2024, 5, 1);
  const theirs = buildParserRegistry(defs, { builtins: false, now });
  const ours = buildParserRegistry([], { now });
  assertEquals(ours.names(), Object.keys(SAMPLES).sort());
  for (const [name, lines] of Object.entries(SAMPLES)) {
    for (const line of lines) {
      const mine = ours.get(name)!.parse(line);
      assert(mine !== null, `${name} does not parse ${line}`);
      assertEquals(mine, theirs.get(name)!.parse(line), `${name}: ${line}`);
    }
  }
});

Deno.test("built-in parsers pull the expected fields out of typical lines", () => {
  const reg = buildParserRegistry([], { now: () => Date.UTC(2024, 5, 1) });
  const cri = reg.get("cri")!.parse("2019-01-01T12:00:00.123456789+00:00 stdout F message here");
  assertEquals(cri?.body, {
    time: "2019-01-01T12:00:00.123456789+00:00",
    stream: "stdout",
    logtag: "F",
    message: "message here",
  });
  assertEquals([cri?.time?.sec, cri?.time?.nsec], [1546344000, 123456789]);
  const local = reg.get("syslog-rfc3164-local")!.parse(
    "<13>Feb  5 17:32:18 myapp[1234]: Use the BFG!",
  );
  assertEquals(local?.body, {
    pri: "13",
    time: "Feb  5 17:32:18",
    ident: "myapp",
    pid: "1234",
    message: "Use the BFG!",
  });
  assertEquals(local?.time?.sec, Date.UTC(2024, 1, 5, 17, 32, 18) / 1000);
  const err = reg.get("apache_error")!.parse(SAMPLES.apache_error![1]!);
  assertEquals([err?.body.level, err?.body.pid, err?.body.client], [
    "core:error",
    "35708:tid 4328636416",
    "72.15.99.187",
  ]);
});
