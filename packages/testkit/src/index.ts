export { chromiumPath, launchChromium } from "./chromium.ts";
export { listeningAddresses } from "./listening.ts";
export { MCP_TOOL_NAMES } from "./mcp-tools.ts";
export { paidGenerations } from "./mock-state.ts";
export { journalEntries, paidCalls, partFiles } from "./paid-work-files.ts";
export { type ProcessRun, runProcess, startProcess } from "./process.ts";
export {
  type EdgeOverrides,
  edgeSettings,
  freePort,
  root,
  type S3Server,
  type Service,
  startDenoEdge,
  startS3Server,
  startService,
  startWranglerDev,
  testTenants,
} from "./services.ts";
