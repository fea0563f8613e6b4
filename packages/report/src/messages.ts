/** Report messages with stable codes, zh-CN and English. Codes never change meaning; add new ones at the end. */
import type { Message } from './model.js';

const catalogue = {
  FORMAT_INVALID: ['签名结构无法解析', 'The signature structure could not be parsed'],
  INTEGRITY_FAILED: ['文档内容在签章后被修改', 'The document was modified after signing'],
  SIGNATURE_VALUE_INVALID: ['签名值验证失败', 'The signature value does not verify'],
  SEAL_SIGNATURE_INVALID: ['印章的制章人签名无效', "The seal maker's signature on the seal is invalid"],
  SEAL_EXPIRED: ['签章时印章已过有效期', 'The seal had expired at signing time'],
  SEAL_NOT_YET_VALID: ['签章时印章尚未生效', 'The seal was not yet valid at signing time'],
  SIGNER_NOT_IN_SEAL: ['签章人证书不在印章的证书列表中', "The signer's certificate is not in the seal's certificate list"],
  CERT_EXPIRED: ['签章时签章人证书已过期', "The signer's certificate had expired at signing time"],
  CERT_NOT_YET_VALID: ['签章时签章人证书尚未生效', "The signer's certificate was not yet valid at signing time"],
  NO_TRUST_ANCHOR: ['未配置信任根，无法确认证书链', 'No trust anchor configured: the certificate chain cannot be confirmed'],
  CHAIN_INVALID: ['证书链验证失败', 'The certificate chain does not validate'],
  CERT_REVOKED: ['签章人证书已被吊销', "The signer's certificate has been revoked"],
  CERT_REVOKED_AFTER_SIGNING: ['签章人证书在签章后被吊销，签章时有效', "The signer's certificate was revoked after the (timestamped) signing time"],
  REVOCATION_UNKNOWN: ['未能检查证书吊销状态', 'The revocation status could not be checked'],
  SEAL_REVOKED: ['该印章已被注销，当前无效', 'This seal has been revoked and is no longer valid'],
  SEAL_SUSPENDED: ['该印章已被停用，当前无效', 'This seal is suspended and currently not valid'],
  SEAL_REVOKED_AFTER_SIGNING: ['印章在签章后被注销：签章时有效，但该印章当前无效', 'The seal was revoked after signing: valid at signing time, but the seal is no longer valid'],
  TIMESTAMP_INVALID: ['时间戳验证失败', 'The timestamp does not verify'],
  COVERAGE_FAILED: ['后续修改超出允许范围或签名未覆盖应保护的内容', 'Later changes are not allowed, or the signature does not cover what it must protect'],
  SIGNING_TIME_CLAIMED: ['签章时间为签章方声明的时间，未经时间戳证明', 'The signing time is claimed by the signer, not proven by a timestamp'],
  // seals and seal signatures (packages/ses)
  SEAL_MAKER_CERT_NOT_VALID: ['制章时制章人证书不在有效期内', "The seal maker's certificate was not within its validity when the seal was made"],
  SEAL_MAKER_CERT_UNREADABLE: ['印章中的制章人证书无法解析', "The seal maker's certificate in the seal cannot be parsed"],
  SIGNER_CERT_UNREADABLE: ['签章人证书无法解析', "The signer's certificate cannot be parsed"],
  SIGNATURE_OVER_DATA_HASH_ONLY: ['厂商变体：签名只覆盖原文杂凑值，未覆盖印章和签章时间', 'Vendor variant: the signature covers only the data hash, not the seal or the signing time'],
  SIGNING_TIME_UNREADABLE: ['签章时间无法识别，改用验证时间', 'The signing time cannot be read; the validation time is used instead'],
  TIMESTAMP_NOT_CHECKED: ['存在时间戳，但未能验证', 'A timestamp is present but was not verified'],
  SEAL_NONSTANDARD_ENCODING: ['印章或签章数据存在不符合标准的编码（已兼容处理）', 'The seal or signature uses non-standard encodings (tolerated)'],
} as const satisfies Record<string, readonly [string, string]>;

export type MessageCode = keyof typeof catalogue;

export function message(code: MessageCode, detail?: string): Message {
  const [zh, en] = catalogue[code];
  return detail ? { code, zh: `${zh}（${detail}）`, en: `${en} (${detail})` } : { code, zh, en };
}
