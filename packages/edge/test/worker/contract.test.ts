import { env, SELF } from "cloudflare:test";
import { defineContractTests } from "../contract.ts";

defineContractTests("workerd", () => ({
  fetch: (path, init) => SELF.fetch(`http://edge.test${path}`, init),
  origin: "http://edge.test",
  mockOrigin: env.MOCK_ORIGIN,
  token: "token-one",
}));
