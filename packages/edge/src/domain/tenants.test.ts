import { describe, expect, it } from "vitest";
import { parseTenants, sha256Hex, tenantOf } from "./tenants.ts";

describe("parseTenants", () => {
  it("reads name:token, name:token:N, name:sha256:<hex>[:N] and bare tokens", async () => {
    const hashed = await sha256Hex("kept-hashed");
    const tenants = await parseTenants(
      ["alice:token-a", "bob:token-b:50", `carol:sha256:${hashed.toUpperCase()}:7`, "bare-token"],
      ["root:admin-token"],
    );
    expect(tenants.map(({ name, admin, dailyLimit }) => ({ name, admin, dailyLimit }))).toEqual([
      { name: "alice", admin: false, dailyLimit: undefined },
      { name: "bob", admin: false, dailyLimit: 50 },
      { name: "carol", admin: false, dailyLimit: 7 },
      { name: (await sha256Hex("bare-token")).slice(0, 16), admin: false, dailyLimit: undefined },
      { name: "root", admin: true, dailyLimit: undefined },
    ]);
    expect(tenants[2]?.digest).toBe(hashed);
    expect(JSON.stringify(tenants)).not.toMatch(/token-a|token-b|admin-token|bare-token/);
  });

  it("keeps colons after the name in the token", async () => {
    const [tenant] = await parseTenants(["ci:abc:def"], []);
    expect(tenant?.digest).toBe(await sha256Hex("abc:def"));
  });

  it.each([
    [["bad name:s3cr3t"], "API_TOKENS entry 1: the name"],
    [["a:sha256:xyz"], "API_TOKENS entry 1: a hashed token"],
    [["a:"], "API_TOKENS entry 1: the token"],
    [["a:s3cr3t-1", "a:s3cr3t-2"], 'API_TOKENS entry 2: the name "a" is used twice'],
    [["a:s3cr3t", "b:s3cr3t"], "API_TOKENS entry 2: the same token is listed twice"],
  ])("refuses %j, naming the entry and never its token", async (entries, message) => {
    const error = await parseTenants(entries, []).then(
      () => new Error("accepted"),
      (thrown: Error) => thrown,
    );
    expect(error.message).toContain(message);
    expect(error.message).not.toMatch(/s3cr3t|xyz/);
  });
});

describe("tenantOf", () => {
  it("finds the tenant of a token, clear or hashed, and none for an unknown one", async () => {
    const tenants = await parseTenants(
      ["alice:token-a", `carol:sha256:${await sha256Hex("kept-hashed")}`],
      ["root:admin-token"],
    );
    expect((await tenantOf(tenants, "token-a"))?.name).toBe("alice");
    expect((await tenantOf(tenants, "kept-hashed"))?.name).toBe("carol");
    expect((await tenantOf(tenants, "admin-token"))?.admin).toBe(true);
    expect(await tenantOf(tenants, "token-b")).toBeUndefined();
    expect(await tenantOf(tenants, "")).toBeUndefined();
  });
});
