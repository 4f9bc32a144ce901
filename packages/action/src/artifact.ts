/**
 * Uploads files as one workflow artifact with @actions/artifact; answers its ID. Loaded on use, so
 * runs that do not upload never pay for the client's start-up.
 */
export async function uploadArtifact(name: string, files: string[], root: string): Promise<number> {
  const { DefaultArtifactClient } = await import("@actions/artifact");
  try {
    const { id } = await new DefaultArtifactClient().uploadArtifact(name, files, root);
    if (id === undefined) throw new Error("the artifact service answered no artifact ID");
    return id;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/409|conflict|already exists/i.test(message)) {
      throw new Error(
        `An artifact named "${name}" already exists in this workflow run (409 Conflict). ` +
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, shown to the user
          "Each job of a matrix needs its own artifact-name, e.g. artifact-name: images-${{ matrix.name }}",
      );
    }
    throw new Error(`Artifact upload failed: ${message}`);
  }
}
