import assert from "node:assert/strict";
import {
  encodePublicKeyFile,
  encodeSecretKeyFile,
  generateSigningKey,
  parsePublicKeyFile,
  parseSecretKeyFile,
} from "./sign_keys.ts";
import { rejectsH4, throwsH4 } from "./testdata/helpers.ts";

Deno.test("signing key files: typed, checked, never mistaken for one another", async () => {
  const k = await generateSigningKey();
  const secret = encodeSecretKeyFile(k);
  const pub = encodePublicKeyFile(k);
  assert.match(secret, /^h4mk-sign-secret-1 [0-9a-f]{16} [A-Za-z0-9+/]{43}=\n$/);
  assert.match(pub, /^h4mk-sign-public-1 [0-9a-f]{16} [A-Za-z0-9+/]{43}=\n$/);
  assert.equal(secret.split(" ")[1], pub.split(" ")[1]);
  const back = await parseSecretKeyFile(secret);
  assert.deepEqual(back.publicKey, k.publicKey);
  assert.deepEqual(parsePublicKeyFile(pub).publicKey, k.publicKey);
  // The wrong kind of file, in either direction, and a LivingCipher key file.
  await rejectsH4(() => parseSecretKeyFile(pub), "H4_BAD_ARGUMENT");
  throwsH4(() => parsePublicKeyFile(secret), "H4_BAD_ARGUMENT", "H4-SIG-006");
  throwsH4(
    () => parsePublicKeyFile("h4mk-key-1 CzBVep/E6Q4zWH2ix+wRNluApcrvFDleg6jN8hc8YYY=\n"),
    "H4_BAD_ARGUMENT",
  );
  // A key id that is not the key's, a short key, not base64: refused; no secret in messages.
  const other = await generateSigningKey();
  const swapped = `h4mk-sign-public-1 ${other.keyId} ${k.publicKey.toBase64()}\n`;
  throwsH4(() => parsePublicKeyFile(swapped), "H4_BAD_ARGUMENT", "H4-SIG-006");
  throwsH4(() => parsePublicKeyFile(`h4mk-sign-public-1 ${k.keyId} AAAA\n`), "H4_BAD_ARGUMENT");
  throwsH4(() => parsePublicKeyFile(`h4mk-sign-public-1 ${k.keyId} !!\n`), "H4_BAD_ARGUMENT");
  const e = await rejectsH4(
    () => parseSecretKeyFile(secret.replace(k.keyId, other.keyId)),
    "H4_BAD_ARGUMENT",
  );
  assert.ok(!e.message.includes(k.seed.toBase64()));
});
