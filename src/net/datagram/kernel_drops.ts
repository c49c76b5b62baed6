/**
 * The kernel's count of datagrams dropped on a UDP socket (its receive buffer was full),
 * read from `/proc/net/udp` and `/proc/net/udp6` by local port. Linux only: elsewhere, or
 * when the files cannot be read, the count is unknown (null).
 */

/** The `drops` column of the lines in `table` (a /proc/net/udp text) whose local port is `port`. */
export function dropsInTable(table: string, port: number): number | null {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  let found = false;
  let drops = 0;
  for (const line of table.split("\n")) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 13 || !cols[0].endsWith(":")) continue;
    const local = cols[1];
    if (local.slice(local.lastIndexOf(":") + 1) !== hexPort) continue;
    const n = Number(cols[cols.length - 1]);
    if (!Number.isFinite(n)) continue;
    found = true;
    drops += n;
  }
  return found ? drops : null;
}

/**
 * Datagrams the kernel dropped on the UDP sockets bound to local `port`, or null when unknown.
 *
 * @example
 * ```ts
 * const drops = await kernelDrops(5170); // e.g. 0
 * ```
 */
export async function kernelDrops(port: number): Promise<number | null> {
  let total: number | null = null;
  for (const file of ["/proc/net/udp", "/proc/net/udp6"]) {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch {
      continue;
    }
    const n = dropsInTable(text, port);
    if (n !== null) total = (total ?? 0) + n;
  }
  return total;
}
