import { utcDay } from "./budget.ts";
import type {
  Coordinator,
  GenerationJob,
  GenerationOutcome,
  ImageStore,
  Journal,
  Release,
  SpendBudget,
} from "./ports.ts";

export interface TenantGenerationDeps {
  coordinator: Coordinator;
  /** Where an image got without paying is counted in the tenant's usage. */
  budget?: SpendBudget | undefined;
  now?: () => number;
  log?: ((entry: Record<string, unknown>) => void) | undefined;
}

/** How often an image that vanished between its generation and its ownership is asked for again. */
const ATTEMPTS = 3;

/**
 * The job's image for the job's tenant: generated (within its budget), or got from the store or
 * from a generation under way at no cost. Either way the tenant owns the image afterwards, and an
 * image it did not pay for counts as a cached hit in its usage.
 */
export async function generateFor(
  deps: TenantGenerationDeps,
  job: GenerationJob,
): Promise<GenerationOutcome> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await deps.coordinator.generate(job);
    if (!outcome.ok || !outcome.stored) return outcome;
    let metadata = outcome.metadata;
    if (metadata.owners?.[job.tenant] === undefined) {
      const owned = await deps.coordinator.own(job.key, job.tenant);
      // Deleted in between by its last owner: asking again makes it anew.
      if (!owned && attempt < ATTEMPTS) continue;
      if (owned) metadata = owned;
    }
    if (!outcome.paid) await countCached(deps, job.tenant);
    return { ...outcome, metadata };
  }
}

/** A usage counter is not worth failing a served image for: a failure to count is logged. */
async function countCached(deps: TenantGenerationDeps, tenant: string): Promise<void> {
  try {
    await deps.budget?.countCached(utcDay((deps.now ?? Date.now)()), tenant);
  } catch (error) {
    deps.log?.({ level: "warn", message: "cached hit not counted", tenant, error: String(error) });
  }
}

/**
 * ImageStore.release, and the key's journal entry goes with the image: the next request for it
 * generates (and pays for) it again. Run by the key's coordinator, one change at a time.
 */
export async function releaseImage(
  deps: { store: ImageStore; journal: Journal },
  key: string,
  tenant: string | undefined,
): Promise<Release> {
  const released = await deps.store.release(key, tenant);
  if (released.removed === "image") await deps.journal.delete(key);
  return released;
}
