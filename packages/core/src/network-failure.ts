// What a failed fetch says, on each runtime, about whether the request left this machine. Written
// from probes of each runtime (a refused port, an unknown host, a reset, a closed connection, a
// 30 KB header block):
// - Node (undici): TypeError "fetch failed", the reason's code on `cause.code` (ECONNREFUSED,
//   ENOTFOUND, EAI_AGAIN, ECONNRESET, UND_ERR_SOCKET, UND_ERR_HEADERS_OVERFLOW), or on each of
//   `cause.errors` when several addresses were tried;
// - Deno: TypeError "fetch failed", `cause.message` "... client error (Connect): tcp connect error:
//   Connection refused ..." or "... (Connect): dns error: ...", other phases "(SendRequest)";
// - workerd: Error "Network connection lost." for a refusal and a reset alike, and "internal
//   error; reference = ..." for an unknown host: nothing there proves the request was not sent.

export interface NetworkFailure {
  /** A few words for the message: "connection refused", "host not found", ... */
  reason: string;
  /** True only when the failure proves the request never reached the server. */
  neverSent: boolean;
}

const undiciReasons: Record<string, NetworkFailure> = {
  ECONNREFUSED: { reason: "connection refused", neverSent: true },
  ENOTFOUND: { reason: "host not found", neverSent: true },
  EAI_AGAIN: { reason: "host name lookup failed", neverSent: true },
  UND_ERR_CONNECT_TIMEOUT: { reason: "connect timeout", neverSent: true },
  ECONNRESET: { reason: "connection reset", neverSent: false },
  EPIPE: { reason: "connection broken", neverSent: false },
  UND_ERR_SOCKET: { reason: "connection closed", neverSent: false },
  UND_ERR_HEADERS_OVERFLOW: { reason: "answer headers too large", neverSent: false },
  UND_ERR_HEADERS_TIMEOUT: { reason: "no answer headers in time", neverSent: false },
  UND_ERR_BODY_TIMEOUT: { reason: "answer body stalled", neverSent: false },
};

const messageReasons: ReadonlyArray<[RegExp, NetworkFailure]> = [
  // The fetch standard's blocked ports (9, 25, ...): refused before any connection.
  [/^bad port\b/i, { reason: "a port fetch refuses to use", neverSent: true }],
  [/\(Connect\).*connection refused/i, { reason: "connection refused", neverSent: true }],
  [/\(Connect\).*dns error/i, { reason: "host not found", neverSent: true }],
  [/connection reset/i, { reason: "connection reset", neverSent: false }],
  [/connection closed/i, { reason: "connection closed", neverSent: false }],
  [/message head is too large/i, { reason: "answer headers too large", neverSent: false }],
  [/error reading a body/i, { reason: "answer body cut short", neverSent: false }],
  [/network connection lost/i, { reason: "network connection lost", neverSent: false }],
];

const codeOf = (value: unknown): string | undefined => {
  const code = (value as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
};

const messageOf = (value: unknown): string =>
  value instanceof Error ? value.message : String(value ?? "");

/**
 * Reads a fetch failure, or a failure reading a body. Unknown failures count as maybe sent: only
 * a refused connection, an unknown host, a failed name lookup or a connect timeout prove that a
 * paid request can be sent again without paying twice.
 */
export function describeNetworkFailure(error: unknown): NetworkFailure {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const attempts = (cause as { errors?: unknown } | null)?.errors;
  const codes = Array.isArray(attempts) ? attempts.map(codeOf) : [codeOf(cause) ?? codeOf(error)];
  const known = codes.map((code) => (code === undefined ? undefined : undiciReasons[code]));
  const first = known[0];
  if (first && known.every((failure) => failure !== undefined)) {
    return { reason: first.reason, neverSent: known.every((failure) => failure?.neverSent) };
  }
  for (const text of [messageOf(cause), messageOf(error)]) {
    for (const [pattern, failure] of messageReasons) if (pattern.test(text)) return failure;
  }
  // A runtime's own words, without the URLs some put in them (their paths may carry secrets).
  const words = (messageOf(cause) || messageOf(error)).replace(
    /[a-z][a-z0-9+.-]*:\/\/[^\s)]*/gi,
    "…",
  );
  return { reason: words || "unknown failure", neverSent: false };
}
