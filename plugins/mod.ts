/**
 * Every plugin sluice ships, one line each: adding a plugin is adding its line here.
 * `plugins/registry.ts` builds the one registry from whatever this module exports.
 */
export { plugin as dummyInput } from "./inputs/dummy/mod.ts";
export { plugin as forwardInput } from "./inputs/forward/mod.ts";
export { plugin as stdinInput } from "./inputs/stdin/mod.ts";
export { plugin as httpInput } from "./inputs/http/mod.ts";
export { plugin as opentelemetryInput } from "./inputs/opentelemetry/mod.ts";
export { plugin as tailInput } from "./inputs/tail/mod.ts";
export { plugin as tcpInput } from "./inputs/tcp/mod.ts";
export { plugin as udpInput } from "./inputs/udp/mod.ts";
export { plugin as syslogInput } from "./inputs/syslog/mod.ts";
export { plugin as grepFilter } from "./filters/grep/mod.ts";
export { plugin as modifyFilter } from "./filters/modify/mod.ts";
export { plugin as multilineFilter } from "./filters/multiline/mod.ts";
export { plugin as parserFilter } from "./filters/parser/mod.ts";
export { plugin as recordModifierFilter } from "./filters/record_modifier/mod.ts";
export { plugin as luaFilter } from "./filters/lua/mod.ts";
export { plugin as contentModifierProcessor } from "./processors/content_modifier/mod.ts";
export { plugin as opentelemetryEnvelopeProcessor } from "./processors/opentelemetry_envelope/mod.ts";
export { plugin as samplingProcessor } from "./processors/sampling/mod.ts";
export { plugin as fileOutput } from "./outputs/file/mod.ts";
export { plugin as forwardOutput } from "./outputs/forward/mod.ts";
export { plugin as httpOutput } from "./outputs/http/mod.ts";
export { plugin as nullOutput } from "./outputs/null/mod.ts";
export { plugin as opentelemetryOutput } from "./outputs/opentelemetry/mod.ts";
export { plugin as stdoutOutput } from "./outputs/stdout/mod.ts";
export { plugin as tcpOutput } from "./outputs/tcp/mod.ts";
export { plugin as udpOutput } from "./outputs/udp/mod.ts";
export { plugin as syslogOutput } from "./outputs/syslog/mod.ts";
export { plugin as esOutput } from "./outputs/es/mod.ts";
export { plugin as opensearchOutput } from "./outputs/opensearch/mod.ts";
export { plugin as cloudwatchLogsOutput } from "./outputs/cloudwatch_logs/mod.ts";
export { plugin as stackdriverOutput } from "./outputs/stackdriver/mod.ts";
export { plugin as systemdInput } from "./inputs/systemd/mod.ts";
export { plugin as execInput } from "./inputs/exec/mod.ts";
export { plugin as kubernetesFilter } from "./filters/kubernetes/mod.ts";
export { plugin as nestFilter } from "./filters/nest/mod.ts";
export { plugin as rewriteTagFilter } from "./filters/rewrite_tag/mod.ts";
export { plugin as throttleFilter } from "./filters/throttle/mod.ts";
export { plugin as typeConverterFilter } from "./filters/type_converter/mod.ts";
export { plugin as lokiOutput } from "./outputs/loki/mod.ts";
export { plugin as pgsqlOutput } from "./outputs/pgsql/mod.ts";
export { plugin as splunkOutput } from "./outputs/splunk/mod.ts";
export { plugin as s3Output } from "./outputs/s3/mod.ts";
