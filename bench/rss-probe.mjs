// Loaded with --import: on exit, reports the process's peak RSS (KiB), its age (ms) and its own
// CPU time (user + system, ms) on stderr. Linux: VmHWM of this process's own memory (getrusage's
// maxRSS carries over the RSS of the parent that spawned it, here the bench with the mock and its
// 40 MiB image in memory).
import { readFileSync } from "node:fs";

function peakRssKiB() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (match) return Number(match[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

process.on("exit", () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(
    `\n@bench maxrss=${peakRssKiB()} uptime=${performance.now().toFixed(1)} cpu=${((user + system) / 1000).toFixed(1)}\n`,
  );
});
