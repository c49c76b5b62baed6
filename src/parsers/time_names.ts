/**
 * Names `time_format` recognises: months and weekdays in the C locale, and the zone
 * abbreviations `%Z` and `%z` accept, with their offsets in seconds east of UTC.
 */

/** Full month names, lowercase, January first. */
export const MONTHS: readonly string[] = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** Full weekday names, lowercase, Sunday first. */
export const WEEKDAYS: readonly string[] = [
  "sunday",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
];

const H = 3600;

/** The RFC 2822 North American zones `%z` accepts besides numeric offsets. */
export const RFC2822_ZONES: ReadonlyMap<string, number> = new Map([
  ["GMT", 0],
  ["UTC", 0],
  ["UT", 0],
  ["EST", -5 * H],
  ["EDT", -4 * H],
  ["CST", -6 * H],
  ["CDT", -5 * H],
  ["MST", -7 * H],
  ["MDT", -6 * H],
  ["PST", -8 * H],
  ["PDT", -7 * H],
]);

/** Zone abbreviations `%Z` accepts (uppercase) and their UTC offsets. */
export const ZONE_ABBREVIATIONS: ReadonlyMap<string, number> = new Map([
  ...RFC2822_ZONES,
  ["Z", 0],
  ["AKST", -9 * H],
  ["AKDT", -8 * H],
  ["HST", -10 * H],
  ["HADT", -9 * H],
  ["AST", -4 * H],
  ["ADT", -3 * H],
  ["NST", -3.5 * H],
  ["NDT", -2.5 * H],
  ["WET", 0],
  ["WEST", 1 * H],
  ["CET", 1 * H],
  ["CEST", 2 * H],
  ["EET", 2 * H],
  ["EEST", 3 * H],
  ["MSK", 3 * H],
  ["ART", -3 * H],
  ["BRT", -3 * H],
  ["BRST", -2 * H],
  ["CLT", -4 * H],
  ["CLST", -3 * H],
  ["AEST", 10 * H],
  ["AEDT", 11 * H],
  ["ACST", 9.5 * H],
  ["ACDT", 10.5 * H],
  ["AWST", 8 * H],
  ["NZST", 12 * H],
  ["NZDT", 13 * H],
  ["JST", 9 * H],
  ["KST", 9 * H],
  ["SGT", 8 * H],
  ["IST", 5.5 * H],
  ["GST", 4 * H],
  ["ICT", 7 * H],
  ["WIB", 7 * H],
  ["WITA", 8 * H],
  ["WIT", 9 * H],
  ["MYT", 8 * H],
  ["BDT", 6 * H],
  ["NPT", 5.75 * H],
  ["WAT", 1 * H],
  ["CAT", 2 * H],
  ["EAT", 3 * H],
  ["SAST", 2 * H],
  // Military letters (J, the observer's local time, has no fixed offset).
  ...[..."ABCDEFGHI"].map((c, i): [string, number] => [c, (i + 1) * H]),
  ...[..."KLM"].map((c, i): [string, number] => [c, (i + 10) * H]),
  ...[..."NOPQRSTUVWXY"].map((c, i): [string, number] => [c, -(i + 1) * H]),
]);
