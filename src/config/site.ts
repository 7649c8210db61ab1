/**
 * What the site says about its publisher: header, footer and OpenGraph.
 * Read from the environment at build time; the defaults are visibly marked sample values (示例)
 * so that no deployment can pass them off as a real filing.
 */
const env = (name: string, fallback: string): string => process.env[name]?.trim() || fallback;

export const siteConfig = {
  name: env('SITE_NAME', '你点我查'),
  tagline: env('SITE_TAGLINE', '产品质量监督抽查结果公开与群众点题'),
  /** 主办单位. */
  host: env('SITE_HOST_ORG', '示例市市场监督管理局（示例）'),
  /** 承办单位 / contact. */
  contactPhone: env('SITE_CONTACT_PHONE', '12315（示例联系电话）'),
  contactAddress: env('SITE_CONTACT_ADDRESS', '示例市示例路 1 号（示例地址）'),
  /** ICP 备案号. */
  icp: env('SITE_ICP', '沪ICP备00000000号-1（示例）'),
  /** 公安机关互联网站安全备案号. */
  psb: env('SITE_PSB', '沪公网安备31000000000000号（示例）'),
  /** 政府网站标识码. */
  siteCode: env('SITE_CODE', '3100000000（示例）'),
} as const;
