/**
 * `sluice test -c CONFIG TESTS...`: runs a config's input processors, filters and output
 * processors on the records of each test case, without starting its inputs or outputs,
 * and compares what comes out with what the case expects; a diff on failure. Exit 0 when
 * every case passes, 1 when one fails, 2 when the config or a test file cannot be used.
 */
import { errorMessage } from "../../error_message.ts";
import { loadConfigFile } from "../../config/load.ts";
import { ConfigError, formatProblem } from "../../config/model.ts";
import { resolveConfig } from "../../config/resolve.ts";
import type { PipelineConfig } from "../../config/resolved.ts";
import type { LogLevel } from "../../engine/log.ts";
import type { PluginRegistry } from "../../plugin.ts";
import { EXIT_CONFIG, EXIT_OK, EXIT_RUNTIME } from "../../service.ts";
import { diffRecords } from "./compare.ts";
import { runCase } from "./harness.ts";
import { type ConfigTestCase, parseTestFile, TestFileError } from "./spec.ts";

export { TEST_FILE_HELP } from "./help.ts";

/** Where the command writes; tests pass their own. */
export interface TestIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const stdio: TestIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/** Runs the test files against the config; returns the exit code. */
export async function testCommand(
  flags: { config: string; tests: string[] },
  deps: { registry: PluginRegistry; io?: TestIo },
): Promise<number> {
  const io = deps.io ?? stdio;
  let config: PipelineConfig;
  const files: { file: string; cases: ConfigTestCase[] }[] = [];
  try {
    config = resolveConfig(await loadConfigFile(flags.config), deps.registry);
    for (const file of flags.tests) {
      files.push({ file, cases: parseTestFile(await Deno.readTextFile(file), file) });
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) io.err(formatProblem(p));
      io.err(`sluice: configuration has ${e.problems.length} problem(s)`);
    } else io.err(`sluice: ${errorMessage(e)}`);
    return e instanceof ConfigError || e instanceof TestFileError ||
        e instanceof Deno.errors.NotFound
      ? EXIT_CONFIG
      : EXIT_RUNTIME;
  }
  let passed = 0;
  let failed = 0;
  for (const { file, cases } of files) {
    for (const c of cases) {
      const problems = await check(config, c);
      if (problems.length === 0) {
        passed++;
        io.out(`test "${c.name}" (${file}) ... ok`);
        continue;
      }
      failed++;
      io.out(`test "${c.name}" (${file}) ... FAILED`);
      for (const p of problems) io.out(`    ${p}`);
    }
  }
  io.out(`${passed} passed, ${failed} failed`);
  return failed > 0 ? EXIT_RUNTIME : EXIT_OK;
}

/** The lines saying how case `c` failed; none when it passed. */
async function check(config: PipelineConfig, c: ConfigTestCase): Promise<string[]> {
  let run;
  try {
    run = await runCase(config, c, { level: "warn" as LogLevel });
  } catch (e) {
    return [`cannot run: ${errorMessage(e)}`];
  }
  const problems: string[] = [];
  const section = (title: string, diff: string[]) => {
    if (diff.length > 0) {
      problems.push(
        `${title} (- expected, + got):`,
        ...diff.map((l) => `  ${l}`),
      );
    }
  };
  if (c.expect.size > 0) {
    for (const tag of new Set([...c.expect.keys(), ...run.filtered.keys()])) {
      section(`tag ${tag}`, diffRecords(c.expect.get(tag) ?? [], run.filtered.get(tag) ?? []));
    }
  }
  const names = config.outputs.map((o) => o.name);
  for (const [name, want] of c.outputs) {
    if (!names.includes(name)) {
      problems.push(`no output named "${name}" in the config (outputs: ${names.join(", ")})`);
      continue;
    }
    section(`output ${name}`, diffRecords(want, run.outputs.get(name) ?? []));
  }
  if (problems.length > 0 && run.log.length > 0) {
    problems.push("the pipeline logged:", ...run.log.map((l) => `  ${l}`));
  }
  return problems;
}
