/**
 * The one plugin registry, built from every plugin `all.ts` exports (each name written once).
 */
import { makeRegistry, type PluginRegistry } from "../src/plugin.ts";
import * as all from "./all.ts";

/** Every plugin, by kind and name. */
export const registry: PluginRegistry = makeRegistry(Object.values(all));
