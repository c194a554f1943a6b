/**
 * A throw-away certificate authority and a server certificate for 127.0.0.1, made in memory with
 * node:crypto and the fixtures' DER writer (node:crypto signs bytes but builds no X.509, and
 * nothing here depends on an `openssl` binary). The benchmark's TLS upstream serves `certPem`
 * with `keyPem`; the app trusts `caPem` through NODE_EXTRA_CA_CERTS, as it would a corporate CA.
 * Valid from an hour ago for two days: nothing outlives the run that made it.
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { bitString, booleanTrue, explicit, integer, integerFromBytes, namedBits, nullValue, octetString, oid, sequence, time, tlv } from '../fixtures/der-writer.js';
import { ATTRIBUTE, encodeName, type NameAttribute } from '../fixtures/sat-certificate.js';

export interface ThrowawayTls {
  /** The CA certificate (PEM): what a client must trust. */
  caPem: string;
  /** The server certificate (PEM), for 127.0.0.1 and localhost, issued by the CA. */
  certPem: string;
  /** The server's private key (PKCS#8 PEM, unencrypted). */
  keyPem: string;
}

const SHA256_WITH_RSA = sequence(oid('1.2.840.113549.1.1.11'), nullValue());
const HOUR_MS = 3_600_000;

/** Makes a fresh CA and a server certificate signed by it (RSA-2048, sha256WithRSAEncryption). */
export function createThrowawayTls(now = new Date()): ThrowawayTls {
  const ca = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const server = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const caName: NameAttribute[] = [[ATTRIBUTE.commonName, 'csd-relay throw-away bench CA']];
  const validFrom = new Date(now.getTime() - HOUR_MS);
  const validTo = new Date(now.getTime() + 48 * HOUR_MS);
  const caDer = certificate({
    subject: caName,
    issuer: caName,
    validFrom,
    validTo,
    publicKey: ca.publicKey,
    issuerKey: ca.privateKey,
    // basicConstraints critical CA:TRUE; keyUsage critical keyCertSign + cRLSign.
    extensions: [
      sequence(oid('2.5.29.19'), booleanTrue(), octetString(sequence(booleanTrue()))),
      sequence(oid('2.5.29.15'), booleanTrue(), octetString(namedBits([5, 6]))),
    ],
  });
  const serverDer = certificate({
    subject: [[ATTRIBUTE.commonName, '127.0.0.1']],
    issuer: caName,
    validFrom,
    validTo,
    publicKey: server.publicKey,
    issuerKey: ca.privateKey,
    extensions: [
      // basicConstraints critical CA:FALSE; keyUsage critical digitalSignature + keyEncipherment.
      sequence(oid('2.5.29.19'), booleanTrue(), octetString(sequence())),
      sequence(oid('2.5.29.15'), booleanTrue(), octetString(namedBits([0, 2]))),
      // extendedKeyUsage serverAuth.
      sequence(oid('2.5.29.37'), octetString(sequence(oid('1.3.6.1.5.5.7.3.1')))),
      // subjectAltName: iPAddress [7] 127.0.0.1 and dNSName [2] localhost (clients check the SAN, not the CN).
      sequence(oid('2.5.29.17'), octetString(sequence(tlv(0x87, Buffer.from([127, 0, 0, 1])), tlv(0x82, Buffer.from('localhost', 'ascii'))))),
    ],
  });
  return {
    caPem: pem(caDer, 'CERTIFICATE'),
    certPem: pem(serverDer, 'CERTIFICATE'),
    keyPem: server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

interface CertificateSpec {
  subject: NameAttribute[];
  issuer: NameAttribute[];
  validFrom: Date;
  validTo: Date;
  publicKey: KeyObject;
  issuerKey: KeyObject;
  extensions: Buffer[];
}

function certificate(spec: CertificateSpec): Buffer {
  // A random 16-byte serial: distinct runs never issue the same (issuer, serial).
  const serial = randomBytes(16);
  const tbs = sequence(
    explicit(0, integer(2)), // v3
    integerFromBytes(serial),
    SHA256_WITH_RSA,
    encodeName(spec.issuer),
    sequence(time(spec.validFrom), time(spec.validTo)),
    encodeName(spec.subject),
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...spec.extensions)),
  );
  return sequence(tbs, SHA256_WITH_RSA, bitString(sign('sha256', tbs, spec.issuerKey)));
}

function pem(der: Buffer, label: string): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
