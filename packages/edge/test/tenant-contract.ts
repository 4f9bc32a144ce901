import { paidGenerations } from "@glm-image/testkit/mock-state";
import { describe, expect, it } from "vitest";
import { type ContractTarget, freshPrompt } from "./contract.ts";

// The tenants of the test settings (testkit's `testTenants`): alice and bob, dave with a budget of
// 2 new images a day, carol whose token is configured as its SHA-256 only, and the admin root.
const ALICE = "token-alice";
const BOB = "token-bob";
const CAROL = "token-carol";
const DAVE = "token-dave";
const ROOT = "token-root";
const SIGNING_SECRET = "a-signing-secret-for-tests";
/** Every token the services under test accept: none may appear in a log line or an answer. */
const TOKENS = ["token-one", "token-two", ALICE, BOB, CAROL, DAVE, ROOT];

interface Usage {
  object: string;
  day: string;
  tenant: string;
  admin: boolean;
  data: Array<{
    tenant: string;
    paid_generations: number;
    by_model: Record<string, number>;
    cached_hits: number;
    estimated_cost: { cny: number; usd: number };
    daily_limit: number | null;
  }>;
}

interface ImageAnswer {
  key: string;
  url: string;
  prompt: string;
  owners?: string[];
}

const keyOf = (url: string) => /([0-9a-f]{64})/.exec(url)?.[1] ?? "";
const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

/** A client of the service under test with one tenant's token, which keeps every answer it got. */
function client(target: ContractTarget, token: string, answers: string[]) {
  async function call(path: string, init: RequestInit = {}) {
    const response = await target.fetch(path, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body ? { "content-type": "application/json" } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
    const text = await response.text();
    answers.push(JSON.stringify([...response.headers]), text);
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: () => JSON.parse(text),
    };
  }
  return {
    call,
    async generate(prompt: string, model = "cogview-4") {
      const answer = await call("/v1/images/generations", {
        method: "POST",
        body: JSON.stringify({ prompt, model }),
      });
      return { ...answer, url: (answer.json().data?.[0]?.url as string | undefined) ?? "" };
    },
    async keys(query = "limit=100"): Promise<string[]> {
      const answer = await call(`/v1/images?${query}`);
      expect(answer.status).toBe(200);
      return (answer.json().data as ImageAnswer[]).map((image) => image.key);
    },
    metadata: (key: string) => call(`/v1/images/${key}`),
    remove: (key: string) => call(`/v1/images/${key}`, { method: "DELETE" }),
    async usage(): Promise<Usage> {
      const answer = await call("/v1/usage");
      expect(answer.status).toBe(200);
      return answer.json() as Usage;
    },
  };
}

const usageOf = (usage: Usage, tenant: string) => {
  const found = usage.data.find((entry) => entry.tenant === tenant);
  if (!found) throw new Error(`no usage of ${tenant} in ${JSON.stringify(usage)}`);
  return found;
};

async function hmacHex(secret: string, text: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = await crypto.subtle.sign("HMAC", key, encoder.encode(text));
  return Array.from(new Uint8Array(signature), (byte) => byte.toString(16).padStart(2, "0")).join(
    "",
  );
}

/**
 * A render URL as the service signed them before tenants (no `tenant` parameter), written from
 * the documented rule: HMAC-SHA256 over the parameters sorted by name, URL-encoded, joined by &.
 */
async function legacyRenderPath(prompt: string): Promise<string> {
  const query = `model=cogview-4&prompt=${encodeURIComponent(prompt)}&quality=standard&size=1024x1024`;
  return `/render?${query}&sig=${await hmacHex(SIGNING_SECRET, query)}`;
}

/**
 * Tokens are tenants, on every runtime: each sees, deletes and spends only its own, within its own
 * budget; the image store stays shared; an admin sees everything.
 */
export function defineTenantTests(name: string, target: () => ContractTarget): void {
  describe(`${name}: tenants`, () => {
    const answers: string[] = [];
    const as = (token: string) => client(target(), token, answers);
    const generations = () => paidGenerations(target().mockOrigin);

    it("each sees and deletes only its own; another's key is 404; the admin sees all, or one tenant's", async () => {
      const [alice, bob, root] = [as(ALICE), as(BOB), as(ROOT)];
      const mine = keyOf((await alice.generate(freshPrompt("alice's own"))).url);
      const theirs = keyOf((await bob.generate(freshPrompt("bob's own"))).url);
      expect(await alice.keys()).toContain(mine);
      expect(await alice.keys()).not.toContain(theirs);
      expect(await bob.keys()).toEqual(expect.arrayContaining([theirs]));
      expect(await bob.keys()).not.toContain(mine);

      // Another's image is not there for alice, exactly as one that does not exist.
      const unknown = await alice.metadata("f".repeat(64));
      for (const answer of [await alice.metadata(theirs), await alice.remove(theirs)]) {
        expect(answer.status).toBe(404);
        expect(answer.json()).toEqual(unknown.json());
      }
      expect((await bob.metadata(theirs)).status).toBe(200);
      expect((await bob.metadata(theirs)).json().owners).toBeUndefined();
      // The bytes stay public: the key is the capability.
      expect((await target().fetch(`/images/${theirs}.png`)).status).toBe(200);

      const everything = await root.keys("limit=10");
      expect(everything).toEqual(expect.arrayContaining([mine, theirs]));
      expect(await root.keys("tenant=alice")).toContain(mine);
      expect(await root.keys("tenant=alice")).not.toContain(theirs);
      expect((await root.metadata(theirs)).json()).toMatchObject({ key: theirs, owners: ["bob"] });
      const forbidden = await alice.call("/v1/images?tenant=bob");
      expect(forbidden.status).toBe(403);
      expect(forbidden.json().error).toMatchObject({ code: "forbidden", param: "tenant" });
      expect(await alice.keys("tenant=alice")).toContain(mine);

      expect((await alice.remove(mine)).status).toBe(200);
      expect((await alice.metadata(mine)).status).toBe(404);
      expect(await alice.keys()).not.toContain(mine);
      expect(await root.keys("limit=10")).not.toContain(mine);
      expect((await target().fetch(`/images/${mine}.png`)).status).toBe(404);
      expect((await bob.metadata(theirs)).status).toBe(200);
    });

    it("a shared image is paid once; B keeps it after A deletes it; an admin's delete removes it for all", async () => {
      const [alice, bob, root] = [as(ALICE), as(BOB), as(ROOT)];
      const prompt = freshPrompt("shared by two");
      const before = await generations();
      const first = await alice.generate(prompt);
      const second = await bob.generate(prompt);
      expect(second.url).toBe(first.url);
      expect(await generations()).toBe(before + 1);
      const key = keyOf(first.url);
      expect(await bob.keys()).toContain(key);
      expect((await root.metadata(key)).json().owners).toEqual(["alice", "bob"]);

      expect((await alice.remove(key)).status).toBe(200);
      expect((await alice.metadata(key)).status).toBe(404);
      expect(await alice.keys()).not.toContain(key);
      expect((await bob.metadata(key)).status).toBe(200);
      expect(await bob.keys()).toContain(key);
      expect((await target().fetch(pathOf(first.url))).status).toBe(200);
      expect((await root.metadata(key)).json().owners).toEqual(["bob"]);
      // Asking again is free (the store is shared), and makes it alice's again.
      expect((await alice.generate(prompt)).url).toBe(first.url);
      expect((await alice.metadata(key)).status).toBe(200);
      expect(await generations()).toBe(before + 1);

      expect((await root.remove(key)).status).toBe(200);
      for (const tenant of [alice, bob, root])
        expect((await tenant.metadata(key)).status).toBe(404);
      expect((await target().fetch(pathOf(first.url))).status).toBe(404);
      expect((await bob.generate(prompt)).url).toBe(first.url);
      expect(await generations()).toBe(before + 2);
    });

    it("concurrent requests of two tenants for one new image: paid once, owned by both", async () => {
      const [alice, bob, root] = [as(ALICE), as(BOB), as(ROOT)];
      const prompt = freshPrompt("[mock:slow=500] asked by two at once");
      const before = await generations();
      const [first, second] = await Promise.all([alice.generate(prompt), bob.generate(prompt)]);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(second.url).toBe(first.url);
      expect(await generations()).toBe(before + 1);
      expect((await root.metadata(keyOf(first.url))).json().owners).toEqual(["alice", "bob"]);
    });

    it("a render URL minted by A is signed for A: its views spend A's budget, and its image is A's", async () => {
      const [alice, bob] = [as(ALICE), as(BOB)];
      const [aliceBefore, bobBefore] = [
        usageOf(await alice.usage(), "alice"),
        usageOf(await bob.usage(), "bob"),
      ];
      const minted = await alice.call("/v1/render-urls", {
        method: "POST",
        body: JSON.stringify({ prompt: freshPrompt("alice's embed"), model: "cogview-4" }),
      });
      const url = minted.json().url as string;
      expect(new URL(url).searchParams.get("tenant")).toBe("alice");
      const before = await generations();
      const view = await target().fetch(pathOf(url));
      expect(view.status).toBe(200);
      await view.arrayBuffer();
      expect(await generations()).toBe(before + 1);

      const aliceAfter = usageOf(await alice.usage(), "alice");
      expect(aliceAfter.paid_generations).toBe(aliceBefore.paid_generations + 1);
      expect(aliceAfter.by_model["cogview-4"]).toBe((aliceBefore.by_model["cogview-4"] ?? 0) + 1);
      expect(usageOf(await bob.usage(), "bob")).toEqual(bobBefore);
      const key = await contentKeyOfRender(url);
      expect(await alice.keys()).toContain(key);
      expect((await bob.metadata(key)).status).toBe(404);

      // The tenant is signed: a URL moved onto another's budget is refused.
      const moved = await target().fetch(pathOf(url).replace("tenant=alice", "tenant=bob"));
      expect(moved.status).toBe(403);
      await moved.arrayBuffer();
      expect(await generations()).toBe(before + 1);
    });

    it("a render URL signed before tenants still works, and counts against the admins", async () => {
      const [alice, root] = [as(ALICE), as(ROOT)];
      const admins = usageOf(await root.usage(), "_admins");
      const prompt = freshPrompt("an embed from before tenants");
      // A viewer of its own (Workers key the render limit by CF-Connecting-IP): the other
      // suites' render misses from this test runner do not spend its window.
      const view = await target().fetch(await legacyRenderPath(prompt), {
        headers: { "cf-connecting-ip": "198.51.100.20" },
      });
      expect(view.status).toBe(200);
      await view.arrayBuffer();
      expect(usageOf(await root.usage(), "_admins").paid_generations).toBe(
        admins.paid_generations + 1,
      );
      const key = await contentKeyOf("cogview-4", prompt, "1024x1024", "standard");
      expect((await root.metadata(key)).json().owners).toEqual(["_admins"]);
      expect(await root.keys("tenant=_admins")).toContain(key);
      expect((await alice.metadata(key)).status).toBe(404);
    });

    it("a token kept as its SHA-256 works, under its entry's name; its digest is no token", async () => {
      const carol = as(CAROL);
      const answer = await carol.generate(freshPrompt("carol's, hashed"));
      expect(answer.status).toBe(200);
      expect(await carol.keys()).toContain(keyOf(answer.url));
      const usage = await carol.usage();
      expect(usage).toMatchObject({ tenant: "carol", admin: false });
      expect(usage.data.map((entry) => entry.tenant)).toEqual(["carol"]);
      const digest = "aafedddf5ce7c92b4d5172ecc41ddcff2d4a3bfe1a8a7970fa55b69870663c4c";
      expect((await as(digest).call("/v1/models")).status).toBe(401);
    });

    it("a tenant's own budget: the third new image is 429 budget_exceeded naming it; stored ones still served", async () => {
      const [dave, alice] = [as(DAVE), as(ALICE)];
      const before = await generations();
      const alicePrompt = freshPrompt("alice's, for dave too");
      const stored = await alice.generate(alicePrompt);
      for (const text of ["one", "two"]) {
        expect((await dave.generate(freshPrompt(`dave ${text}`))).status).toBe(200);
      }
      const refused = await dave.generate(freshPrompt("dave three"));
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(refused.json().error.code).toBe("budget_exceeded");
      expect(refused.json().error.message).toMatch(/^Tenant "dave"'s budget of 2 new images a day/);
      expect(await generations()).toBe(before + 3);
      // Images already stored cost nothing: dave still gets alice's, and alice pays for new ones.
      expect((await dave.generate(alicePrompt)).url).toBe(stored.url);
      expect((await alice.generate(freshPrompt("alice goes on"))).status).toBe(200);
      expect(await generations()).toBe(before + 4);

      const usage = usageOf(await dave.usage(), "dave");
      expect(usage).toMatchObject({ paid_generations: 2, cached_hits: 1, daily_limit: 2 });
      expect(usage.by_model).toEqual({ "cogview-4": 2 });
      expect(usage.estimated_cost.usd).toBeCloseTo(0.02, 6);
      expect(usage.estimated_cost.cny).toBeCloseTo(0.12, 6);
    });

    it("usage: the caller's paid generations, cached hits and estimated cost; every tenant's for an admin", async () => {
      const [bob, root] = [as(BOB), as(ROOT)];
      const before = usageOf(await bob.usage(), "bob");
      const prompt = freshPrompt("bob counts");
      expect((await bob.generate(prompt, "glm-image")).status).toBe(200);
      expect((await bob.generate(prompt, "glm-image")).status).toBe(200);
      const usage = await bob.usage();
      expect(usage).toMatchObject({ object: "usage", tenant: "bob", admin: false });
      expect(usage.day).toBe(new Date().toISOString().slice(0, 10));
      const after = usageOf(usage, "bob");
      expect(after.paid_generations).toBe(before.paid_generations + 1);
      expect(after.cached_hits).toBe(before.cached_hits + 1);
      expect(after.by_model["glm-image"]).toBe((before.by_model["glm-image"] ?? 0) + 1);
      expect(after.estimated_cost.usd - before.estimated_cost.usd).toBeCloseTo(0.015, 6);
      expect(after.daily_limit).toBeNull();

      const all = await root.usage();
      expect(all).toMatchObject({ tenant: "root", admin: true });
      expect(all.data.map((entry) => entry.tenant)).toEqual(
        expect.arrayContaining(["alice", "bob", "carol", "dave", "root", "_admins"]),
      );
      expect(usageOf(all, "bob")).toEqual(after);
      expect(usageOf(all, "dave").daily_limit).toBe(2);
    });

    it("no token appears in any log line or answer; the log names the tenant", async () => {
      const alice = as(ALICE);
      await alice.call("/v1/models");
      await as("token-wrong").call("/v1/models");
      const text = `${answers.join("\n")}\n${target().output?.() ?? ""}`;
      expect(answers.length).toBeGreaterThan(50);
      for (const token of [...TOKENS, "token-wrong"]) expect(text).not.toContain(token);
      const output = target().output?.();
      if (output !== undefined) {
        const lines = output.split("\n").filter((line) => line.includes('"path":"/v1/models"'));
        expect(lines.some((line) => line.includes('"tenant":"alice"'))).toBe(true);
        const paid = output.split("\n").filter((line) => line.includes('"message":"generated"'));
        expect(paid.some((line) => line.includes('"tenant":"dave"'))).toBe(true);
      }
    });
  });
}

/** The content key of a render URL's image, from the documented rule (see contract.ts). */
function contentKeyOfRender(url: string): Promise<string> {
  const query = new URL(url).searchParams;
  return contentKeyOf(
    query.get("model") ?? "",
    query.get("prompt") ?? "",
    query.get("size") ?? "",
    query.get("quality") ?? "",
  );
}

async function contentKeyOf(
  model: string,
  prompt: string,
  size: string,
  quality: string,
): Promise<string> {
  const canonical = JSON.stringify(["glm-image/v1", model, prompt, size, quality, true]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
