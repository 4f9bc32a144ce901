import { GlmImageError } from "./errors.ts";

const KEYS_PAGE = "https://bigmodel.cn/usercenter/proj-mgmt/apikeys";

/**
 * The one MISSING_API_KEY of every face, thrown before anything is sent. Without a remedy, the
 * seed CLI's own words (skills written for it match them); a face names how its users set the
 * key (the action: its `api-key` input).
 */
export function missingApiKey(remedy?: string): GlmImageError {
  return new GlmImageError(
    "MISSING_API_KEY",
    remedy === undefined
      ? `ZHIPU_API_KEY not configured. Get your API key at: ${KEYS_PAGE}`
      : `No ZhiPu API key: ${remedy}. Get your API key at: ${KEYS_PAGE}`,
  );
}
