import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** An RSA key pair as KeyObjects. */
export interface RsaKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

// RSA-2048 generation costs ~100 ms or more, so each test file (module instance) pays it once
// per slot. Slots are created on first use: a file using only slot 0 generates one pair.
const pool: RsaKeyPair[] = [];
let certificateAuthorityKey: RsaKeyPair | undefined;

/** The `index`-th cached RSA-2048 key pair. Distinct indexes give distinct keys. */
export function pooledKeyPair(index = 0): RsaKeyPair {
  let pair = pool[index];
  if (!pair) {
    pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    pool[index] = pair;
  }
  return pair;
}

/** The throwaway CA's key pair (never one of the pooled holder keys). */
export function certificateAuthorityKeyPair(): RsaKeyPair {
  certificateAuthorityKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
  return certificateAuthorityKey;
}
