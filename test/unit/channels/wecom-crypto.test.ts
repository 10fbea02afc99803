/**
 * WeCom callback crypto against the platform's published sample values:
 * - the worked example of the 加解密方案说明 page (corpid wx5823bf96d3bd56c7, Token QDG6eK,
 *   EncodingAESKey jWmYm7…B2C): the POST sample (msg_signature 477715d1…, the decrypted XML the
 *   page prints) and the URL-verification sample quoted with it (msg_signature 5c45ff5e…);
 * - the official SDK sample, sbzhu/weworkapi_python callback/Sample.py (corpid ww1436e0e65a779aee,
 *   Token hJqcu3u…, EncodingAESKey 6qkdMrq…): VerifyURL (012bc692…) and DecryptMsg (0c391402…).
 * Then the round trip, and tampering of every kind refused.
 */
import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decrypt, decryptCallback, encrypt, verifySignature, verifyUrl, WecomCryptoError, wecomSignature } from '#shared/channels/wecom-crypto.ts';
import { parseFlatXml } from '#shared/channels/wecom-xml.ts';

const DOC = { token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wx5823bf96d3bd56c7' };
const DOC_POST_ENCRYPT =
  'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';
const DOC_POST_PLAIN =
  '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>';

const SDK = { token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo', encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt', receiveId: 'ww1436e0e65a779aee' };
const SDK_POST_XML =
  '<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n<Encrypt><![CDATA[Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>';

describe('WeCom crypto: the platform’s published samples', () => {
  it('document example, POST: the signature and the decrypted message are exactly the published ones', () => {
    expect(wecomSignature(DOC.token, '1409659813', '1372623149', DOC_POST_ENCRYPT)).toBe('477715d11cdb4164915debcba66cb864d751f3e6');
    const plain = decryptCallback(
      DOC,
      { msg_signature: '477715d11cdb4164915debcba66cb864d751f3e6', timestamp: '1409659813', nonce: '1372623149' },
      DOC_POST_ENCRYPT,
    );
    expect(plain).toBe(DOC_POST_PLAIN);
    expect(parseFlatXml(plain)).toEqual({
      ToUserName: 'wx5823bf96d3bd56c7',
      FromUserName: 'mycreate',
      CreateTime: '1409659813',
      MsgType: 'text',
      Content: 'hello',
      MsgId: '4561255354251345929',
      AgentID: '218',
    });
  });

  it('document example, URL verification: echostr decrypts to the published plaintext', () => {
    const echo = verifyUrl(DOC, {
      msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
      timestamp: '1409659589',
      nonce: '263014780',
      echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
    });
    expect(echo).toBe('1616140317555161061');
  });

  it('official SDK sample (Sample.py): VerifyURL', () => {
    const echo = verifyUrl(SDK, {
      msg_signature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
      timestamp: '1476416373',
      nonce: '47744683',
      echostr: 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
    });
    expect(echo).toBe('1288432023552776189');
  });

  it('official SDK sample (Sample.py): DecryptMsg of the posted XML', () => {
    const posted = parseFlatXml(SDK_POST_XML)!;
    expect(posted.ToUserName).toBe('ww1436e0e65a779aee');
    const plain = decryptCallback(
      SDK,
      { msg_signature: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e', timestamp: '1476422779', nonce: '1597212914' },
      posted.Encrypt!,
    );
    expect(parseFlatXml(plain)).toEqual({
      ToUserName: 'ww1436e0e65a779aee',
      FromUserName: 'ChenJiaShun',
      CreateTime: '1476422779',
      MsgType: 'text',
      Content: '你好',
      MsgId: '1456453720',
      AgentID: '1000002',
    });
  });
});

describe('WeCom crypto: round trip and refusals', () => {
  it('encrypt → decrypt round-trips, padding to 32 bytes; a fixed random gives the platform’s bytes', () => {
    for (const msg of ['', 'a', '你好，我的快递到哪了？', 'x'.repeat(1000)]) {
      const enc = encrypt(SDK, msg);
      expect(Buffer.from(enc, 'base64').length % 32).toBe(0);
      expect(decrypt(SDK, enc)).toBe(msg);
    }
    // With the random bytes the platform used (the first 16 of the document's plaintext), encrypt
    // reproduces the published ciphertext byte for byte.
    const key = Buffer.from(`${DOC.encodingAesKey}=`, 'base64');
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    const random = Buffer.concat([decipher.update(Buffer.from(DOC_POST_ENCRYPT, 'base64')), decipher.final()]).subarray(0, 16);
    expect(encrypt(DOC, DOC_POST_PLAIN, random)).toBe(DOC_POST_ENCRYPT);
  });

  it('refuses a wrong signature, a wrong receiveid, bad padding, truncation and a bad key', () => {
    const q = { msg_signature: '477715d11cdb4164915debcba66cb864d751f3e6', timestamp: '1409659813', nonce: '1372623149' };
    expect(() => decryptCallback(DOC, { ...q, nonce: '1372623150' }, DOC_POST_ENCRYPT)).toThrow(WecomCryptoError);
    expect(() => decryptCallback({ ...DOC, token: 'QDG6eL' }, q, DOC_POST_ENCRYPT)).toThrow(/signature/);
    expect(() => decrypt({ ...DOC, receiveId: 'wx0000000000000000' }, DOC_POST_ENCRYPT)).toThrow(/receiveid/);
    expect(() => decrypt(DOC, DOC_POST_ENCRYPT.slice(0, 64))).toThrow(WecomCryptoError);
    const bytes = Buffer.from(DOC_POST_ENCRYPT, 'base64');
    bytes[bytes.length - 1]! ^= 0x55;
    expect(() => decrypt(DOC, bytes.toString('base64'))).toThrow(WecomCryptoError);
    expect(() => decrypt({ ...DOC, encodingAesKey: 'short' }, DOC_POST_ENCRYPT)).toThrow(/43/);
    expect(verifySignature(DOC, 'not-hex', '1', '2', '3')).toBe(false);
  });

  it('the flat XML reader takes CDATA and escaped text, and refuses DTDs and non-<xml> documents', () => {
    expect(parseFlatXml('<xml><A><![CDATA[x<y]]></A><B>1 &amp; 2</B></xml>')).toEqual({ A: 'x<y', B: '1 & 2' });
    expect(parseFlatXml('<!DOCTYPE x [<!ENTITY e "boom">]><xml><A>&e;</A></xml>')).toBeUndefined();
    expect(parseFlatXml('<html></html>')).toBeUndefined();
  });
});
