/** A spinner with the elapsed time on stderr, drawn only on a terminal. */
export interface Progress {
  update(text: string): void;
  stop(): void;
}

const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function startProgress(
  stderr: { write(text: string): unknown },
  enabled: boolean,
  text: string,
): Progress {
  if (!enabled) return { update() {}, stop() {} };
  const started = Date.now();
  let label = text;
  let frame = 0;
  const draw = () => {
    const seconds = Math.floor((Date.now() - started) / 1000);
    stderr.write(`\r\u001b[2K${frames[frame++ % frames.length]} ${label} ${seconds}s`);
  };
  const timer = setInterval(draw, 100);
  draw();
  return {
    update(next) {
      label = next;
    },
    stop() {
      clearInterval(timer);
      stderr.write("\r\u001b[2K");
    },
  };
}
