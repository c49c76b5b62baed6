/**
 * What a loader makes of one file before includes are followed and variables expanded:
 * its sections, include directives and variable definitions, in source order.
 */
import type { ConfigProblem, Pos, RawSection } from "./model.ts";

/** One thing a config file declares, in the order it was written. */
export type FileItem =
  | { type: "section"; section: RawSection }
  | { type: "include"; path: string; pos: Pos }
  | { type: "var"; name: string; value?: string; uri?: string; pos: Pos };

/** A file parsed by the YAML or classic loader. */
export interface ParsedFile {
  items: FileItem[];
  /** Syntax and shape problems; the items hold whatever could be read anyway. */
  problems: ConfigProblem[];
}
