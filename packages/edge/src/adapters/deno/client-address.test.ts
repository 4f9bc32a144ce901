import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { clientAddressOf } from "./client-address.ts";

/** What the app would take as the client of a request, as `deno serve` hands it over. */
async function clientOf(header: string | undefined, headers: Record<string, string>) {
  const app = new Hono().get("/", (context) => context.text(clientAddressOf(header)(context)));
  const response = await app.request("/", { headers }, { remoteAddr: { hostname: "127.0.0.1" } });
  return response.text();
}

describe("the client address of the Deno entry", () => {
  it("is the connection's without CLIENT_IP_HEADER, whatever the request says", async () => {
    expect(await clientOf(undefined, { "x-forwarded-for": "203.0.113.9" })).toBe("127.0.0.1");
  });

  it("is the named header's first address behind a proxy, else the connection's", async () => {
    const forwarded = { "x-forwarded-for": "203.0.113.9, 10.0.0.2" };
    expect(await clientOf("X-Forwarded-For", forwarded)).toBe("203.0.113.9");
    expect(await clientOf("x-forwarded-for", {})).toBe("127.0.0.1");
  });

  it("refuses at start-up a setting that is no header name", () => {
    expect(() => clientAddressOf("x forwarded")).toThrow(
      'CLIENT_IP_HEADER must be a header name, such as x-forwarded-for; it is "x forwarded"',
    );
  });
});
