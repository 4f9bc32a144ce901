import { env, SELF } from "cloudflare:test";
import { beforeAll, vi } from "vitest";
import { defineContractTests } from "../contract.ts";
import { defineTenantTests } from "../tenant-contract.ts";

// The Worker and its Durable Objects run in this isolate: their log lines are read here.
const logged: string[] = [];
beforeAll(() => {
  vi.spyOn(console, "log").mockImplementation((line: string) => void logged.push(String(line)));
});

const target = () => ({
  fetch: (path: string, init?: RequestInit) => SELF.fetch(`http://edge.test${path}`, init),
  origin: "http://edge.test",
  mockOrigin: env.MOCK_ORIGIN,
  token: "token-one",
  output: () => logged.join("\n"),
});
defineContractTests("workerd", target);
defineTenantTests("workerd", target);
