/**
 * The tail input's options checked and turned into what the reader uses: patterns,
 * tag maker, line options, record builder, joiner (multiline, docker mode, old
 * multiline), timings and the database settings. Throws SyntaxError or RangeError,
 * which the engine reports as a config problem of the input.
 */
import { errorMessage } from "../../../src/error_message.ts";
import { type InputContext, OptionError } from "../../../src/plugin.ts";
import type { Parser } from "../../../src/parsers/types.ts";
import { DockerJoiner } from "./docker_mode.ts";
import { genericCodec } from "./encoding.ts";
import { type Joiner, MultilineJoiner } from "./joiner.ts";
import type { DbOptions } from "./offset_db.ts";
import { OldMultilineJoiner } from "./old_multiline.ts";
import type { TailOptions } from "./options.ts";
import { RecordBuilder } from "./records.ts";
import { type Excluder, excluder } from "./scan.ts";
import type { ReadOptions } from "./tail_file.ts";
import { type TagMaker, tagMaker } from "./tag.ts";

/** Polling period when `inotify_watcher` is off, in ms. */
export const STAT_POLL_MS = 250;

/** Everything the tail input runs with. */
export interface TailSettings {
  patterns: string[];
  exclude: Excluder;
  tag: TagMaker;
  read: ReadOptions;
  builder: RecordBuilder;
  joiner?: Joiner;
  refreshMs: number;
  rotateWaitMs: number;
  checkMs: number;
  ignoreOlderMs: number;
  ignoreActiveOlder: boolean;
  readFromHead: boolean;
  readNewFromHead: boolean;
  exitOnEof: boolean;
  inotify: boolean;
  db?: { path: string; options: DbOptions };
  compareFilename: boolean;
}

function parserNamed(ctx: InputContext, name: string, key: string): Parser {
  const parser = ctx.parsers.get(name);
  if (!parser) {
    const known = ctx.parsers.names();
    throw new OptionError(
      key,
      `Cannot use ${key} "${name}": no parser has that name` +
        (known.length ? ` (defined: ${known.join(", ")})` : ""),
    );
  }
  return parser;
}

function joinerFor(o: TailOptions, ctx: InputContext): Joiner | undefined {
  const ml = o["multiline.parser"];
  if (ml.length > 0) {
    try {
      return new MultilineJoiner(ctx.multiline.assembler<number>(ml));
    } catch (e) {
      throw new OptionError(
        "multiline.parser",
        `Cannot use "multiline.parser": ${errorMessage(e)}`,
      );
    }
  }
  if (o.docker_mode) {
    if (o.multiline) {
      throw new OptionError("docker_mode", "Cannot use docker_mode together with multiline");
    }
    const firstline = o.docker_mode_parser
      ? parserNamed(ctx, o.docker_mode_parser, "docker_mode_parser")
      : undefined;
    return new DockerJoiner({ flushSeconds: o.docker_mode_flush, firstline });
  }
  if (o.multiline) {
    if (!o.parser_firstline) {
      throw new OptionError("multiline", "Cannot use multiline: parser_firstline is not set");
    }
    const first = parserNamed(ctx, o.parser_firstline, "parser_firstline");
    const rest: Parser[] = [];
    const numbered = [
      o.parser_1,
      o.parser_2,
      o.parser_3,
      o.parser_4,
      o.parser_5,
      o.parser_6,
      o.parser_7,
      o.parser_8,
      o.parser_9,
    ];
    numbered.forEach((name, i) => {
      if (name) rest.push(parserNamed(ctx, name, `parser_${i + 1}`));
    });
    return new OldMultilineJoiner(first, rest, { flushSeconds: o.multiline_flush });
  }
  return undefined;
}

/** Checks `options` and derives the settings; throws SyntaxError or RangeError. */
export function tailSettings(o: TailOptions, ctx: InputContext): TailSettings {
  if (o.path.length === 0) throw new OptionError("path", "Cannot start tail: no path was given");
  if (o.buffer_chunk_size > o.buffer_max_size) {
    throw new OptionError(
      "buffer_max_size",
      `Cannot use buffer_max_size ${o.buffer_max_size}: it must be at least buffer_chunk_size ` +
        `(${o.buffer_chunk_size})`,
    );
  }
  if (o["generic.encoding"]) genericCodec(o["generic.encoding"]);
  const joiner = joinerFor(o, ctx);
  const parser = o.parser ? parserNamed(ctx, o.parser, "parser") : undefined;
  if (joiner instanceof MultilineJoiner && parser) {
    ctx.log.warn("parser is ignored when multiline.parser is set (as in Fluent Bit)");
  }
  const builder = new RecordBuilder({
    key: o.key,
    pathKey: o.path_key,
    offsetKey: o.offset_key,
    parser: joiner instanceof MultilineJoiner ? undefined : parser,
  });
  const longLines = o.truncate_long_lines ? "truncate" : o.skip_long_lines ? "skip" : "keep";
  const checkSeconds = o.progress_check_interval + o.progress_check_interval_nsec / 1e9;
  return {
    patterns: o.path,
    exclude: excluder(o.exclude_path),
    tag: tagMaker(ctx.tag, o.tag_regex),
    read: {
      maxLine: o.buffer_max_size,
      longLines,
      skipEmpty: o.skip_empty_lines,
      offsets: builder.needsOffsets || joiner !== undefined,
      unicode: o["unicode.encoding"],
      generic: o["generic.encoding"],
    },
    builder,
    joiner,
    refreshMs: o.refresh_interval * 1000,
    rotateWaitMs: o.rotate_wait * 1000,
    checkMs: Math.max(10, checkSeconds * 1000),
    ignoreOlderMs: o.ignore_older * 1000,
    ignoreActiveOlder: o.ignore_active_older_files,
    readFromHead: o.read_from_head,
    readNewFromHead: o.read_newly_discovered_files_from_head,
    exitOnEof: o.exit_on_eof,
    inotify: o.inotify_watcher,
    db: o.db
      ? {
        path: o.db,
        options: {
          sync: o["db.sync"],
          journalMode: o["db.journal_mode"],
          locking: o["db.locking"],
        },
      }
      : undefined,
    compareFilename: o["db.compare_filename"],
  };
}
