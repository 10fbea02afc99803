/**
 * WeCom (企业微信 / WeChat customer service) callback crypto, as the platform's 加解密方案 defines
 * it: msg_signature = SHA1 of the sorted strings [token, timestamp, nonce, encrypt] joined;
 * AES-256-CBC with key = base64decode(EncodingAESKey + '='), IV = the key's first 16 bytes,
 * PKCS#7 padding to a multiple of 32 bytes; plaintext = 16 random bytes + 4-byte big-endian
 * message length + message + receiveid (the corp id). Verified against the platform's published
 * sample values (test/unit/channels/wecom-crypto.test.ts).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The block size PKCS#7 pads to in this scheme (not AES's 16). */
const PAD_BLOCK = 32;

/** A callback that fails verification or decryption (the reason is for logs, never for the caller). */
export class WecomCryptoError extends Error {
  override readonly name = 'WecomCryptoError';
}

export interface WecomKeys {
  token: string;
  /** The 43-character EncodingAESKey. */
  encodingAesKey: string;
  /** The receiveid the plaintext must end with (the corp id). */
  receiveId: string;
}

/** `msg_signature` of a callback. */
export function wecomSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}

function aesKey(encodingAesKey: string): Buffer {
  if (!/^[A-Za-z0-9]{43}$/.test(encodingAesKey)) throw new WecomCryptoError('EncodingAESKey must be 43 letters and digits');
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new WecomCryptoError('EncodingAESKey does not decode to 32 bytes');
  return key;
}

/** True when `given` is the signature of these values (constant-time). */
export function verifySignature(keys: Pick<WecomKeys, 'token'>, given: string, timestamp: string, nonce: string, encrypt: string): boolean {
  const expected = Buffer.from(wecomSignature(keys.token, timestamp, nonce, encrypt), 'hex');
  const actual = /^[0-9a-f]{40}$/i.test(given) ? Buffer.from(given.toLowerCase(), 'hex') : Buffer.alloc(0);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Decrypts an `Encrypt` value; checks the padding, the length field and the receiveid. */
export function decrypt(keys: Pick<WecomKeys, 'encodingAesKey' | 'receiveId'>, encrypt: string): string {
  const key = aesKey(keys.encodingAesKey);
  const data = Buffer.from(encrypt, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) throw new WecomCryptoError('ciphertext is not whole AES blocks');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new WecomCryptoError('cannot decrypt');
  }
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > PAD_BLOCK || pad > plain.length || !plain.subarray(plain.length - pad).every((b) => b === pad)) {
    throw new WecomCryptoError('bad padding');
  }
  const body = plain.subarray(0, plain.length - pad);
  if (body.length < 20) throw new WecomCryptoError('plaintext too short');
  const length = body.readUInt32BE(16);
  if (20 + length > body.length) throw new WecomCryptoError('length field beyond the plaintext');
  const receiveId = body.subarray(20 + length).toString('utf8');
  if (receiveId !== keys.receiveId) throw new WecomCryptoError('receiveid does not match');
  return body.subarray(20, 20 + length).toString('utf8');
}

/** Encrypts a message the way the platform does (`random` is for reproducible tests). */
export function encrypt(keys: Pick<WecomKeys, 'encodingAesKey' | 'receiveId'>, message: string, random: Buffer = randomBytes(16)): string {
  if (random.length !== 16) throw new WecomCryptoError('random must be 16 bytes');
  const key = aesKey(keys.encodingAesKey);
  const msg = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(msg.length);
  const body = Buffer.concat([random, length, msg, Buffer.from(keys.receiveId, 'utf8')]);
  const pad = PAD_BLOCK - (body.length % PAD_BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

/** URL verification (GET): the decrypted `echostr`, which the endpoint answers as plain text. */
export function verifyUrl(keys: WecomKeys, q: { msg_signature: string; timestamp: string; nonce: string; echostr: string }): string {
  if (!verifySignature(keys, q.msg_signature, q.timestamp, q.nonce, q.echostr)) throw new WecomCryptoError('signature mismatch');
  return decrypt(keys, q.echostr);
}

/** A callback (POST): the decrypted message of its `Encrypt` field. */
export function decryptCallback(keys: WecomKeys, q: { msg_signature: string; timestamp: string; nonce: string }, encryptField: string): string {
  if (!verifySignature(keys, q.msg_signature, q.timestamp, q.nonce, encryptField)) throw new WecomCryptoError('signature mismatch');
  return decrypt(keys, encryptField);
}
