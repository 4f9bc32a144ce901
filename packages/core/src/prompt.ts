// The one normalisation of a prompt: what is sent upstream and what the content key is made of.
// Two prompts that read the same are one prompt, and are paid for once.

/** Zero-width spaces and joiners (U+200B-U+200D), the word joiner (U+2060), BOMs (U+FEFF). */
const invisible = /[\u200B-\u200D\u2060\uFEFF]/g;
/** Every way of writing a line break: CRLF, CR, LF, VT, FF, NEL, the line and paragraph separators. */
const lineBreak = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/g;
/** A run of white space that is not a line break: spaces of every width, no-break spaces, tabs. */
const space = /[^\P{White_Space}\n]+/gu;
/** Control characters that are not white space: NUL, ESC, DEL, the C1 controls but NEL, ... */
const control = /[^\P{Cc}\p{White_Space}]/u;

/**
 * A prompt as it is sent and keyed: invisible characters removed, Unicode NFC, every run of
 * spaces one space, every line break `\n` (a prompt's lines can mean lines of text in the image,
 * so they stay), no space at either end of a line, trimmed. Idempotent: a normal prompt is its
 * own normal form, so a prompt that was already normal keeps the content key it always had.
 */
export function normalisePrompt(prompt: string): string {
  return prompt
    .replace(invisible, "")
    .normalize("NFC")
    .replace(lineBreak, "\n")
    .replace(space, " ")
    .replace(/ ?\n ?/g, "\n")
    .trim();
}

/** The first control character (not white space) of a prompt, written `U+0000`, if it has one. */
export function controlCharacterIn(prompt: string): string | undefined {
  const found = control.exec(prompt)?.[0];
  return found === undefined
    ? undefined
    : `U+${(found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}
