/** The tools every MCP face of glm-image lists (packages/mcp), sorted: what the faces' tests expect. */
export const MCP_TOOL_NAMES = [
  "delete_image",
  "embed_image",
  "estimate_cost",
  "generate_image",
  "get_image",
  "list_images",
] as const;
