// Loaded with --import: on exit, reports the process's peak RSS (KiB) and its age (ms) on stderr.
process.on("exit", () => {
  process.stderr.write(
    `\n@bench maxrss=${process.resourceUsage().maxRSS} uptime=${performance.now().toFixed(1)}\n`,
  );
});
