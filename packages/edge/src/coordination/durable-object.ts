import { DurableObject } from "cloudflare:workers";
import { log } from "../log.ts";
import type { Coordinator, GenerationJob, GenerationOutcome } from "../ports.ts";
import { r2Store } from "../storage/r2.ts";

/**
 * One instance per content key (or idempotency key). Workers run one request at a time per object
 * between awaits, so the in-flight promise is checked and set atomically: concurrent identical
 * jobs share one upstream generation. The generation code loads on first use, not at start-up.
 */
export class GenerationCoordinator extends DurableObject<Env> {
  private inFlight: Promise<GenerationOutcome> | undefined;

  generate(job: GenerationJob): Promise<GenerationOutcome> {
    this.inFlight ??= this.run(job).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async run(job: GenerationJob): Promise<GenerationOutcome> {
    const [{ generateAndStore }, { readConfig }] = await Promise.all([
      import("../generation.ts"),
      import("../config.ts"),
    ]);
    return generateAndStore(job, {
      store: r2Store(this.env.IMAGES),
      config: readConfig(this.env as unknown as Record<string, unknown>),
      log,
    });
  }

  async claim(contentKey: string): Promise<string> {
    const bound = await this.ctx.storage.get<string>("content-key");
    if (bound) return bound;
    await this.ctx.storage.put("content-key", contentKey);
    return contentKey;
  }
}

export function durableObjectCoordinator(
  namespace: DurableObjectNamespace<GenerationCoordinator>,
): Coordinator {
  return {
    generate: (job) => namespace.get(namespace.idFromName(`content:${job.key}`)).generate(job),
    claim: (idempotencyKey, contentKey) =>
      namespace.get(namespace.idFromName(`idempotency:${idempotencyKey}`)).claim(contentKey),
  };
}
