// What the mock copies of ZhiPu word for word: where its API lives on the host, and the messages
// its errors carry.

/** The API's path: clients use `${origin}${API_PATH}` as ZHIPU_BASE_URL. */
export const API_PATH = "/api/paas/v4";

export const MESSAGES = {
  missingKey: "Header中未收到Authorization参数，无法进行身份验证。",
  badKey: "Authorization Token非法，请确认Authorization Token正确传递。",
  expired: "令牌已过期或验证不正确",
  contentFilter:
    "系统检测到输入或生成内容可能包含不安全或敏感内容，请您避免输入易产生敏感内容的提示语，感谢您的配合。",
  rateLimit: "您当前使用该API的并发数过高，请降低并发，或联系客服增加限额。",
  overload: "当前API请求过多，请稍后重试。",
  quota: "您的账户已欠费，请充值后重试。",
};
