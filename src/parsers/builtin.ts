/**
 * The parsers sluice ships built in, so `parser: apache2` or `parser: docker` works
 * without a parsers file. They give the same fields and times as the parsers of the
 * same name in Fluent Bit's `conf/parsers.conf`; a user definition with the same name
 * replaces the built-in one.
 */
import { parserOptions, type ParserValues } from "../config/common_options.ts";
import { defaultsOf } from "../config/options.ts";

/** A definition's values from the keys it sets; the rest take their defaults. */
export function parserDefinition(values: Partial<ParserValues>): ParserValues {
  return { ...defaultsOf(parserOptions), ...values };
}

/** Common Log Format request part shared by the access-log parsers. */
const REQUEST = String.raw`\[(?<time>[^\]]*)\] "(?<method>\S+)(?: +(?<path>[^"]*?)(?: +\S*)?)?"`;
const ACCESS_TIME = "%d/%b/%Y:%H:%M:%S %z";
const ISO_FRACTION = "%Y-%m-%dT%H:%M:%S.%L";
const ISO_FRACTION_ZONE = "%Y-%m-%dT%H:%M:%S.%L%z";

const BUILTIN_VALUES: Partial<ParserValues>[] = [
  {
    // 192.168.2.20 - - [29/Jul/2015:10:27:10 -0300] "GET /x HTTP/1.0" 200 3395 "-" "curl"
    name: "apache",
    format: "regex",
    regex: String.raw`^(?<host>\S*) \S* (?<user>\S*) ${REQUEST} (?<code>\S*) (?<size>\S*)` +
      String.raw`(?: "(?<referer>[^"]*)" "(?<agent>[^"]*)")?$`,
    time_key: "time",
    time_format: ACCESS_TIME,
  },
  {
    // Like apache, but the path stops at the first space and the agent may hold quotes.
    name: "apache2",
    format: "regex",
    regex: String.raw`^(?<host>\S*) \S* (?<user>\S*) \[(?<time>[^\]]*)\] ` +
      String.raw`"(?<method>\S+)(?: +(?<path>\S*) +\S*)?" (?<code>\S*) (?<size>\S*)` +
      String.raw`(?: "(?<referer>[^"]*)" "(?<agent>.*)")?$`,
    time_key: "time",
    time_format: ACCESS_TIME,
  },
  {
    // [Wed Oct 11 14:32:52 2000] [error] [pid 123] [client 127.0.0.1] message
    name: "apache_error",
    format: "regex",
    regex: String.raw`^\[\S* (?<time>[^\]]*)\] \[(?<level>[^\]]*)\]` +
      String.raw`(?: \[pid (?<pid>[^\]]*)\])?(?: \[client (?<client>[^\]]*)\])? (?<message>.*)$`,
  },
  {
    // 172.17.0.1 - - [29/Jul/2015:10:27:10 -0300] "GET / HTTP/1.1" 200 612 "-" "curl/7.1"
    name: "nginx",
    format: "regex",
    regex: String.raw`^(?<remote>\S*) (?<host>\S*) (?<user>\S*) ${REQUEST} (?<code>\S*) ` +
      String.raw`(?<size>\S*)(?: "(?<referer>[^"]*)" "(?<agent>[^"]*)")`,
    time_key: "time",
    time_format: ACCESS_TIME,
  },
  { name: "json", format: "json", time_key: "time", time_format: ACCESS_TIME },
  {
    // {"log":"hello\n","stream":"stdout","time":"2018-03-09T01:01:44.851160855Z"}
    name: "docker",
    format: "json",
    time_key: "time",
    time_format: ISO_FRACTION,
    time_keep: true,
  },
  {
    // time="2018-03-09T01:01:44.851160855Z" level=info msg="daemon started"
    name: "docker-daemon",
    format: "regex",
    regex: String.raw`time="(?<time>\S*)" level=(?<level>\S*) msg="(?<msg>[^ ].*)"`,
    time_key: "time",
    time_format: ISO_FRACTION,
    time_keep: true,
  },
  {
    // 2019-01-01T12:00:00.123456789+00:00 stdout F message
    name: "cri",
    format: "regex",
    regex: String.raw`^(?<time>\S+) (?<stream>stdout|stderr) (?<logtag>\S*) (?<message>.*)$`,
    time_key: "time",
    time_format: ISO_FRACTION_ZONE,
    time_keep: true,
  },
  {
    // <165>1 2003-10-11T22:14:15.003Z host app 1234 ID47 [a b="c"] message
    name: "syslog-rfc5424",
    format: "regex",
    regex: String.raw`^<(?<pri>\d{1,5})>1 (?<time>\S+) (?<host>\S+) (?<ident>\S+) ` +
      String.raw`(?<pid>[-\d]+) (?<msgid>\S+) (?<extradata>\[.*?\]|-) (?<message>.+)$`,
    time_key: "time",
    time_format: ISO_FRACTION_ZONE,
    time_keep: true,
  },
  {
    // <13>Feb  5 17:32:18 host app[123]: message
    name: "syslog-rfc3164",
    format: "regex",
    regex: String.raw`^<(?<pri>\d+)>(?<time>\S* {1,2}\S* \S*) (?<host>\S*) ` +
      String.raw`(?<ident>[\w/.-]*)(?:\[(?<pid>\d+)\])?(?:[^:]*:)? *(?<message>.*)$`,
    time_key: "time",
    time_format: "%b %d %H:%M:%S",
    time_keep: true,
  },
  {
    // <13>Feb  5 17:32:18 app[123]: message (a local socket: no host)
    name: "syslog-rfc3164-local",
    format: "regex",
    regex: String.raw`^<(?<pri>\d+)>(?<time>\S* {1,2}\S* \S*) ` +
      String.raw`(?<ident>[\w/.-]*)(?:\[(?<pid>\d+)\])?(?:[^:]*:)? *(?<message>.*)$`,
    time_key: "time",
    time_format: "%b %d %H:%M:%S",
    time_keep: true,
  },
  { name: "logfmt", format: "logfmt" },
];

/** The built-in parser definitions, in a fixed order. */
export const BUILTIN_PARSERS: readonly ParserValues[] = BUILTIN_VALUES.map(parserDefinition);
