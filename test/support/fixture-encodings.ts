import { createPrivateKey } from 'node:crypto';
import type { SatPair } from './sat-pair.js';

/** PEM text (LF line endings, 64 columns) of a DER buffer. */
export function toPem(der: Buffer, label: 'CERTIFICATE' | 'ENCRYPTED PRIVATE KEY' | 'PRIVATE KEY'): Buffer {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return Buffer.from(`-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`, 'ascii');
}

/** The pair's key decrypted to plain PKCS#8 DER: what a user who "converted" their key uploads. */
export function unencryptedPkcs8Der(pair: SatPair): Buffer {
  const privateKey = createPrivateKey({ key: pair.key, format: 'der', type: 'pkcs8', passphrase: pair.password });
  return privateKey.export({ type: 'pkcs8', format: 'der' });
}

