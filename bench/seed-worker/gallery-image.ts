// The gallery bench's images, the same for R2 (seed-worker) and S3 (scale-gallery.ts): image i
// has the content key sha256("gallery bench i") and is stored at BASE + i ms, so that a list in
// key order (newest first) starts at the last one.
export const SEED_BATCH = 25;
const BASE = 1_700_000_000_000;
// A 1x1 PNG: the gallery reads metadata only.
const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  ),
  (character) => character.charCodeAt(0),
);

export async function galleryImage(index: number) {
  const prompt = `gallery bench image ${index}: a lighthouse on a cliff at dusk, watercolour`;
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`gallery bench ${index}`),
  );
  const key = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join(
    "",
  );
  return {
    key,
    storedAt: BASE + index,
    bytes: PNG,
    body: () => new Blob([PNG]).stream(),
    fields: {
      prompt,
      model: "cogview-3-flash",
      size: "512x512",
      quality: "standard",
      created: Math.floor((BASE + index) / 1000),
      content_type: "image/png",
      content_filter: [],
    },
  };
}
