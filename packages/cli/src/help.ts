export const helpText = `glm-image: generate an image from a text prompt with the ZhiPu GLM-Image API.

Usage:
  glm-image --prompt TEXT [--model MODEL] [--size WxH] [--quality hd|standard]
            [--no-watermark] [--user-id ID] [--save FILE | --out-dir DIR]
            [--async] [--retries N] [--timeout SECONDS] [--base-url URL] [--quiet]
  glm-image sign --prompt TEXT [--model MODEL] [--size WxH] [--quality Q] [--edge-url URL]

Options:
  -p, --prompt TEXT      what the image shows, 1-1000 characters (required)
  -m, --model MODEL      glm-image (default), cogview-4, cogview-4-250304, cogview-3-flash
  -s, --size WxH         glm-image: 1280x1280 (default), 1568x1056, 1056x1568, 1472x1088,
                         1088x1472, 1728x960, 960x1728, or 1024-2048px multiples of 32 up to
                         2^22 pixels; cogview: 1024x1024 (default) ..., 512-2048px multiples of
                         16 up to 2^21 pixels. Written WxH, WXH, W×H or W*H
  -q, --quality Q        hd (glm-image: the only one) or standard (cogview default)
      --no-watermark     turn the watermark off (needs a signed disclaimer with ZhiPu)
      --user-id ID       end-user ID for content moderation, 6-128 characters
      --save FILE        save the image there (folders are created; written atomically)
      --out-dir DIR      save under DIR, named from the prompt and the content key
      --async            use the async API and poll until the image is ready
      --retries N        retries on rate limits, overloads, 5xx and network errors (default 3)
      --timeout SECONDS  give up after this long (default 120)
      --base-url URL     API base (default $ZHIPU_BASE_URL or https://open.bigmodel.cn/api/paas/v4;
                         international: https://api.z.ai/api/paas/v4)
      --edge-url URL     for sign: the edge service (default $GLM_IMAGE_EDGE_URL)
      --quiet            no progress or warnings on stderr
  -h, --help             this text
  -v, --version          the version

Environment: ZHIPU_API_KEY (required; https://bigmodel.cn/usercenter/proj-mgmt/apikeys),
ZHIPU_BASE_URL, and for sign: SIGNING_SECRET, GLM_IMAGE_EDGE_URL.

Prints one line of JSON on stdout: {ok, model, image_url, prompt, size, quality, created,
content_filter, saved_file, error, warnings, content_type, bytes}.
Exit status: 0 done, 1 the generation or download failed, 2 a usage error (nothing was sent).

Examples:
  glm-image --prompt "一只可爱的小猫咪，坐在阳光明媚的窗台上，背景是蓝天白云"
  glm-image --prompt "赛博朋克风格的城市夜景" --size 1568x1056
  glm-image --prompt "中国山水画风格，远山近水，云雾缭绕" --quality hd
  glm-image --prompt "商业设计素材" --no-watermark
  glm-image --prompt "中国水墨画风格" --save image.png
  glm-image --prompt "赛博朋克城市" --size 1728x960 --save ~/Pictures/cyberpunk.png
  glm-image --prompt "..." --user-id "user_12345"
  glm-image --prompt "..." --model cogview-4
`;
