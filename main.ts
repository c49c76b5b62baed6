/**
 * The sluice command line: `sluice -c FILE`, Fluent Bit's quick mode
 * (`-i NAME -p k=v -o NAME`), `sluice validate`, `sluice plugins [NAME]`,
 * `sluice dlq list|replay`, `sluice top`.
 * Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error.
 */
import { Command, CommanderError } from "@commander-js/extra-typings";
import { TEST_FILE_HELP } from "./src/cli/config_tests/help.ts";
import { runCommand, type RunFlags } from "./src/cli/run.ts";
import { EXIT_CONFIG, EXIT_OK } from "./src/service.ts";
import { registry } from "./plugins/registry.ts";
import { VERSION } from "./src/version.ts";

const collect = (value: string, previous: string[] = []) => [...previous, value];
const count = (_: string, previous = 0) => previous + 1;

function withRunFlags<T extends Command>(cmd: T) {
  return cmd
    .option("-c, --config <file>", "configuration file (YAML or classic .conf)")
    .option("-i, --input <name>", "add an input (quick mode)", collect)
    .option("-F, --filter <name>", "add a filter (quick mode)", collect)
    .option("-o, --output <name>", "add an output; also -o tcp://host:port (quick mode)", collect)
    .option("-p, --prop <key=value>", "set a property on the last -i, -F or -o", collect)
    .option("-t, --tag <tag>", "set the tag of the last input", collect)
    .option("-m, --match <pattern>", "set the match of the last filter or output", collect)
    .option("-f, --flush <seconds>", "flush interval")
    .option("-R, --parser <file>", "load a parsers file (may repeat)", collect)
    .option("-D, --dry-run", "check the configuration and exit")
    .option("-H, --http", "enable the monitoring server (127.0.0.1 unless http_listen is set)")
    .option("-P, --port <port>", "monitoring server port (default 2020)")
    .option("-v, --verbose", "more diagnostics: -v debug, -vv trace", count)
    .option("-q, --quiet", "only errors")
    .option("-l, --log_file <file>", "write diagnostics to this file")
    .option("-Y, --enable-hot-reload", "reload the config on SIGHUP or POST /api/v2/reload");
}

function runFlags(o: Record<string, unknown>): RunFlags {
  return {
    config: o.config as string | undefined,
    parser: o.parser as string[] | undefined,
    dryRun: o.dryRun as boolean | undefined,
    http: o.http as boolean | undefined,
    port: o.port as string | undefined,
    verbose: o.verbose as number | undefined,
    quiet: o.quiet as boolean | undefined,
    logFile: o.log_file as string | undefined,
    hotReload: o.enableHotReload as boolean | undefined,
  };
}

/** Runs the CLI with `argv` (without the program name) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let code = EXIT_OK;
  const program = withRunFlags(
    new Command()
      .name("sluice")
      .description(
        "A telemetry collector for logs, traces and metrics that runs Fluent Bit configs.",
      )
      .version(VERSION, "-V, --version")
      .enablePositionalOptions()
      .exitOverride(),
  ).action(async (o) => {
    code = await runCommand(runFlags(o), { argv, registry });
  }).addHelpText(
    "after",
    `
The monitoring server (-H or service.http_server) listens on 127.0.0.1 by default (Fluent Bit:
0.0.0.0); service.http_listen changes that. With service.http_server.token set, POST/PUT requests
(POST /api/v2/reload) need "Authorization: Bearer <token>". A browser at http://127.0.0.1:2020/
shows the status page; sluice top shows the same in a terminal. Service keys: sluice plugins service`,
  );
  withRunFlags(program.command("run").description("run a pipeline").exitOverride())
    .action(async (o) => {
      code = await runCommand(runFlags(o), { argv: argv.slice(1), registry });
    });
  withRunFlags(
    program.command("validate").description("check a configuration and exit").exitOverride(),
  )
    .action(async (o) => {
      code = await runCommand(runFlags(o), { argv: argv.slice(1), registry, validate: true });
    });
  program.command("plugins").description("list plugins, or describe one").argument("[name]")
    .exitOverride()
    .action(async (name) => {
      const { describePlugin, describeService, listPlugins } = await import(
        "./src/cli/plugin_help.ts"
      );
      if (!name) return void console.log(listPlugins(registry));
      if (name === "service") return void console.log(describeService());
      const help = describePlugin(registry, name);
      if (help) return void console.log(help);
      console.error(`sluice: unknown plugin "${name}"; see sluice plugins`);
      code = EXIT_CONFIG;
    });
  program.command("test").description(
    "run a config's processors and filters on the records of test files and compare the output",
  )
    .requiredOption("-c, --config <file>", "the config whose processors and filters are tested")
    .argument("<tests...>", "YAML test files (the format is below)")
    .addHelpText("after", TEST_FILE_HELP)
    .exitOverride()
    .action(async (tests, o) => {
      code = await (await import("./src/cli/config_tests/mod.ts")).testCommand({
        config: o.config,
        tests,
      }, { registry });
    });
  program.command("tap").description(
    "print the records passing a running instance's inputs, filters or outputs as JSON lines",
  )
    .argument("[name]", "instance name pattern, e.g. tail.0 or grep.* (default: every instance)")
    .option("-H, --host <host:port>", "the instance's monitoring server", "127.0.0.1:2020")
    .option("--url <url>", "the monitoring server's base URL (instead of -H)")
    .option("--point <points>", "input, filter and/or output, comma-separated (default: all)")
    .option("--tag <pattern>", "only records whose tag matches")
    .option("--rate <n>", "at most n records per second (the rest are skipped)")
    .option("--sample <fraction>", "pass on this fraction of the records, 0 to 1")
    .option("--limit <n>", "exit after n records")
    .option("--token <token>", "bearer token, when the monitoring server requires one")
    .exitOverride()
    .action(async (name, o) => {
      code = await (await import("./src/cli/tap.ts")).tapCommand({ ...o, name });
    });
  program.command("top").description(
    "watch a running instance through its monitoring server: rates, errors, buffers, files",
  )
    .option("-H, --host <host>", "the instance's http_listen address", "127.0.0.1")
    .option("-P, --port <port>", "the instance's http_port", "2020")
    .option("--url <url>", "the monitoring server's URL (instead of -H and -P)")
    .option("--interval <seconds>", "refresh interval", "1")
    .option("--once", "print one screen (rates over one interval) and exit")
    .addHelpText(
      "after",
      "\nKeys: q quits. No colour when stdout is not a terminal or NO_COLOR is set.\n" +
        "Exit codes: 0 quit, 1 the instance cannot be reached or went away.",
    )
    .exitOverride()
    .action(async (o) => {
      code = await (await import("./src/cli/top/mod.ts")).runTop(o);
    });
  const dlq = program.command("dlq").description("list or replay the dead-letter store")
    .exitOverride();
  dlq.command("list").description("one line per dead-letter file: time, output, tag, status")
    .option("-c, --config <file>", "the config whose storage.path holds the dead letters")
    .option("--path <dir>", "the dead-letter directory itself")
    .exitOverride()
    .action(async (o) => {
      code = await (await import("./src/cli/dlq.ts")).dlqList(o, { registry });
    });
  dlq.command("replay").description("send dead letters again through a config's outputs")
    .requiredOption("-c, --config <file>", "the config whose outputs receive the records")
    .option("--path <dir>", "the dead-letter directory (default: from the config)")
    .option("--delete", "remove each file once its records are delivered")
    .exitOverride()
    .action(async (o) => {
      code = await (await import("./src/cli/dlq.ts")).dlqReplay(o, { registry });
    });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === "commander.helpDisplayed" || e.code === "commander.version" ||
          e.code === "commander.help"
        ? EXIT_OK
        : EXIT_CONFIG;
    }
    throw e;
  }
  return code;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
