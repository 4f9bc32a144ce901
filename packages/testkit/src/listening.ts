import { readFile } from "node:fs/promises";

/** Linux's socket tables: one line per socket, `local_address` as hex `address:port`. */
const tables = ["/proc/net/tcp", "/proc/net/tcp6"];
const LISTEN = "0A";

/** An address of /proc/net/tcp* (hex, in the kernel's byte order) as text: 127.0.0.1, ::, ... */
function addressOf(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((word) =>
    (word.match(/../g) ?? []).reverse().map((pair) => Number.parseInt(pair, 16)),
  );
  if (bytes.length === 4) return bytes.join(".");
  // An IPv4 address mapped into IPv6 (::ffff:a.b.c.d).
  if (bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 255 && bytes[11] === 255) {
    return bytes.slice(12).join(".");
  }
  if (bytes.every((byte) => byte === 0)) return "::";
  if (bytes.slice(0, 15).every((byte) => byte === 0) && bytes[15] === 1) return "::1";
  return Array.from({ length: 8 }, (_, index) =>
    (((bytes[index * 2] ?? 0) << 8) | (bytes[index * 2 + 1] ?? 0)).toString(16),
  ).join(":");
}

/**
 * The local addresses that listen on a TCP port (all processes of this machine, as the kernel
 * sees them): `["127.0.0.1"]` for a loopback-only server, `["0.0.0.0"]` for every interface.
 */
export async function listeningAddresses(port: number): Promise<string[]> {
  const found: string[] = [];
  for (const table of tables) {
    const text = await readFile(table, "utf8").catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      const [address, hexPort] = (local ?? "").split(":");
      if (state === LISTEN && address && Number.parseInt(hexPort ?? "", 16) === port) {
        found.push(addressOf(address));
      }
    }
  }
  return found;
}
