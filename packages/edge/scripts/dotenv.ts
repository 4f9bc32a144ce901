// The dotenv format as wrangler reads it (`.dev.vars`, `--env-file`): dotenv's parser, then
// dotenv-expand, which replaces `$NAME` and `${NAME}` in every value unless the `$` is escaped.

// dotenv's own line pattern (dotenv 16, lib/main.js): `KEY=value`, `export KEY=value` or
// `KEY: value`; a value in ', " or ` quotes, or bare up to a # comment.
const line =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

/** The settings of a dotenv file, as dotenv reads them (later lines win). */
export function parseDotenv(text: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [, name = "", raw = ""] of text.replace(/\r\n?/g, "\n").matchAll(line)) {
    let value = raw.trim();
    const quote = value[0];
    value = value.replace(/^(['"`])([\s\S]*)\1$/, "$2");
    if (quote === '"') value = value.replace(/\\n/g, "\n").replace(/\\r/g, "\r");
    settings[name] = value;
  }
  return settings;
}

/**
 * One `NAME='value'` line per setting, which wrangler reads back verbatim: quoted so that dotenv
 * keeps the value as it is, `$` escaped so that dotenv-expand leaves it alone.
 */
export function formatDotenv(settings: Record<string, string>): string {
  return Object.entries(settings)
    .map(([name, value]) => {
      // In "" dotenv would turn \n into a line break: the last choice.
      const quote = ["'", "`", '"'].find(
        (mark) => !value.includes(mark) && (mark !== '"' || !/\\[nr]/.test(value)),
      );
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || quote === undefined || /[\r\n]/.test(value)) {
        throw new Error(
          `${name} cannot be passed to wrangler dev: a setting's name is letters, digits and _, and its value one line without all of ', \` and "`,
        );
      }
      return `${name}=${quote}${value.replaceAll("$", () => "\\$")}${quote}\n`;
    })
    .join("");
}
