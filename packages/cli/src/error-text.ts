/** User-facing text for YzError codes: zh-CN first, the code always shown so scripts and support can match on it. */
import type { YzError } from '@yinzhang/gm';
import type { Lang } from './i18n.js';

const zh: Record<string, string> = {
  INVALID_ARGUMENT: '参数无效',
  LIMIT_EXCEEDED: '超出限制',
  UNSUPPORTED: '不支持',
  PEM_MALFORMED: 'PEM 格式错误',
  DER_MALFORMED: 'DER 编码错误',
  KEY_MALFORMED: '密钥格式错误',
  KEY_WRONG_CURVE: '密钥曲线不对',
  KEY_WRONG_LENGTH: '密钥长度不对',
  KEY_UNSUPPORTED: '不支持的密钥类型',
  POINT_NOT_ON_CURVE: '公钥点不在曲线上',
  SIGNATURE_MALFORMED: '签名格式错误',
  SIGNATURE_OUT_OF_RANGE: '签名值 r 或 s 超出范围',
  ALGORITHM_UNSUPPORTED: '不支持的算法',
  ALGORITHM_KEY_MISMATCH: '算法与密钥不匹配',
  CIPHERTEXT_MALFORMED: '密文格式错误',
  DECRYPTION_FAILED: '解密失败',
  AUTHENTICATION_FAILED: '完整性校验失败',
  FILE_UNREADABLE: '文件无法读写',
  CERT_MALFORMED: '证书格式错误',
  NAME_MALFORMED: '名称 (DN) 格式错误',
  CRL_MALFORMED: 'CRL 格式错误',
  PKCS12_MALFORMED: 'PKCS#12 文件格式错误',
  PKCS12_BAD_PASSWORD: 'PKCS#12 口令错误',
  CMS_MALFORMED: 'CMS 签名数据格式错误',
  TIMESTAMP_MALFORMED: '时间戳格式错误',
  CA_NOT_INITIALISED: 'CA 目录未初始化',
  CA_EXISTS: 'CA 目录已存在',
  CERT_NOT_FOUND: '找不到该证书',
  PDF_MALFORMED: 'PDF 文件格式错误',
  PDF_XREF_BROKEN: 'PDF 交叉引用表损坏',
  PDF_ENCRYPTED: 'PDF 文件已加密，不支持签章或验证',
  PDF_UNSUPPORTED: 'PDF 使用了不支持的功能',
  PDF_PAGE_OUT_OF_RANGE: 'PDF 页码超出范围',
  PDF_KEYWORD_NOT_FOUND: 'PDF 中找不到该关键字',
  PDF_SIGNATURE_TOO_LARGE: '签名数据超出预留空间',
  SES_MALFORMED: '印章或签章数据结构错误',
  SES_VERSION_UNSUPPORTED: '不支持的印章版本',
  OFD_NOT_ZIP: '不是 OFD 文件 (不是 ZIP 包)',
  OFD_ZIP_MALFORMED: 'OFD 包 (ZIP) 已损坏',
  OFD_UNSAFE_PATH: 'OFD 包含不安全的路径',
  OFD_MISSING_PART: 'OFD 缺少必需的部件',
  OFD_XML_MALFORMED: 'OFD 中的 XML 格式错误',
  OFD_XML_FORBIDDEN: 'OFD 中的 XML 含有禁止的 DTD 或实体',
  OFD_MALFORMED: 'OFD 结构错误',
  OFD_SIGNATURES_LOCKED: '文档已被锁定签章，不允许再签章',
  OFD_PAGE_OUT_OF_RANGE: '页码超出范围',
  OFD_KEYWORD_NOT_FOUND: '未找到关键字',
};

export function errorText(lang: Lang, e: YzError): string {
  if (lang === 'en') return `error [${e.code}]: ${e.message}`;
  return `错误 [${e.code}]: ${zh[e.code] ?? '操作失败'} (${e.message})`;
}
