/** sluice's version, shown by `--version`, `/` and `fluentbit_build_info`. */
export const VERSION = "0.1.0";

/** The Fluent Bit version whose configuration and endpoints sluice follows. */
export const FLUENT_BIT_COMPAT = "4.2.8";
