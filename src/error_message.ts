/** The message of anything thrown: an Error's message, or the value as text. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
