import type { Options } from "./options.ts";
import { EXIT } from "./result.ts";

export const helpText = `glm-image: generate an image from a text prompt with the ZhiPu GLM-Image API.

Usage:
  glm-image --prompt TEXT [--model MODEL] [--size WxH] [--quality hd|standard]
            [--no-watermark] [--user-id ID] [--save FILE | --out-dir DIR]
            [--async] [--retries N] [--timeout SECONDS] [--base-url URL] [--quiet]
            [--edge-url URL --edge-token TOKEN]
  glm-image --prompt-file FILE ...   or   glm-image -p - ...   (the prompt from standard input)
  glm-image batch MANIFEST [--lock-file FILE] [--concurrency N] [--model M] [--size WxH] ...
                         [--dry-run]
  glm-image sign --prompt TEXT [--model MODEL] [--size WxH] [--quality Q] [--edge-url URL]
  glm-image journal                  the paid work kept for a rerun, one JSON line each
  glm-image journal clear [KEY]      give up one entry (or all): that image is paid for again
  glm-image mcp [--out-dir DIR] [--edge-url URL --edge-token TOKEN] [--base-url URL]
                                     an MCP server over stdio, for agent hosts (Claude, Cursor,
                                     VS Code): images saved under DIR (default the state
                                     folder's images/), paid once through the journal

Options:
  -p, --prompt TEXT      what the image shows, 1-1000 characters; - reads standard input
      --prompt-file FILE the prompt from a file (long or multi-line prompts)
  -m, --model MODEL      glm-image (default), cogview-4, cogview-4-250304, cogview-3-flash
  -s, --size WxH         glm-image: 1280x1280 (default), 1568x1056, 1056x1568, 1472x1088,
                         1088x1472, 1728x960, 960x1728, or 1024-2048px multiples of 32 up to
                         2^22 pixels; cogview: 1024x1024 (default) ..., 512-2048px multiples of
                         16 up to 2^21 pixels. Written WxH, WXH, W×H or W*H
  -q, --quality Q        hd (glm-image: the only one) or standard (cogview default)
      --no-watermark     turn the watermark off (needs a signed disclaimer with ZhiPu)
      --user-id ID       end-user ID for content moderation, 6-128 characters
      --save FILE        save the image there (folders are created; a file is written
                         atomically, a device or FIFO such as /dev/stdout in place). Checked
                         before paying: an unwritable path or a folder is DOWNLOAD_FAILED
                         with "reason": "INVALID_PATH" (exit 2)
      --out-dir DIR      save under DIR, named from the prompt and the content key; an image
                         already there is answered without a request ("cached": true)
      --async            the async API for every model (glm-image always uses it)
      --retries N        retries on rate limits, overloads, 5xx and network errors (default 3)
      --timeout SECONDS  give up after this long, generation and download together
                         (default 120; in batch, per image)
      --base-url URL     API base (default $ZHIPU_BASE_URL or https://open.bigmodel.cn/api/paas/v4;
                         international: https://api.z.ai/api/paas/v4)
      --edge-url URL     generate through a deployed glm-image edge, so image_url is its
                         permanent URL (default $GLM_IMAGE_EDGE_URL); for sign: its address
      --edge-token TOKEN one of the edge's API tokens (default $GLM_IMAGE_EDGE_TOKEN)
      --lock-file FILE   batch: the lock file (default .glm-image.lock.json)
      --concurrency N    batch: images generated at once, 1-16 (default 2)
      --dry-run          batch: the plan and its list price, nothing sent (no key needed)
      --quiet            no progress or warnings on stderr
  -h, --help             this text
  -v, --version          the version

Environment: ZHIPU_API_KEY (required unless through an edge;
https://bigmodel.cn/usercenter/proj-mgmt/apikeys), ZHIPU_BASE_URL (an http(s) URL),
GLM_IMAGE_EDGE_URL and GLM_IMAGE_EDGE_TOKEN (through an edge), SIGNING_SECRET (for sign),
XDG_STATE_HOME (the journal: $XDG_STATE_HOME/glm-image/journal, else
~/.local/state/glm-image/journal; mcp's images: .../glm-image/images).

Never paid twice: every paid call is journaled before it is sent (its task id, then the image
URL, as they come), and the entry goes once the image is delivered. The same command run again
after a crash, a kill or a time-out, from any folder, resumes: it polls the task or downloads the
URL, and pays nothing more. A call that may have been charged but left no image is reported
(upstream_error, "reason": "PENDING_IN_JOURNAL") and never sent again until you clear it.

Prints one line of JSON on stdout: {ok, model, image_url, prompt, size, quality, created,
content_filter, saved_file, error, warnings, content_type, bytes, cached}.
batch prints one line per image ({ok, path, status: generated|skipped|failed, ...}) and a
summary line ({ok, summary: {total, generated, skipped, failed}, lock_file}); images the lock
file says are unchanged are skipped without a request. With --dry-run each image is planned or
skipped, and the summary is {ok, dry_run, summary: {total, planned, skipped}, estimated_cost:
{cny, usd}, lock_file}.
Exit status: 0 done; 1 a generation or download failed (batch: any image);
2 a usage error, found before anything was sent (bad arguments, INVALID_*, MISSING_API_KEY);
130 interrupted (SIGINT/SIGTERM: the JSON line still comes, with image_url when already paid).

Examples:
  glm-image --prompt "一只可爱的小猫咪，坐在阳光明媚的窗台上，背景是蓝天白云"
  glm-image --prompt "赛博朋克风格的城市夜景" --size 1568x1056
  glm-image --prompt "中国山水画风格，远山近水，云雾缭绕" --quality hd
  glm-image --prompt "商业设计素材" --no-watermark
  glm-image --prompt "中国水墨画风格" --save image.png
  glm-image --prompt "赛博朋克城市" --size 1728x960 --save ~/Pictures/cyberpunk.png
  glm-image --prompt "..." --user-id "user_12345"
  glm-image --prompt "..." --model cogview-4
  glm-image --prompt-file prompt.txt --out-dir images
  glm-image batch images.yml --dry-run
  glm-image batch images.yml
`;

/** `--help` and `--version`, answered before anything else is read. */
export function helpOrVersion(
  options: Options,
  deps: { stdout: { write(text: string): unknown }; version: string },
): number {
  deps.stdout.write(options.help ? helpText : `${deps.version}\n`);
  return EXIT.ok;
}
