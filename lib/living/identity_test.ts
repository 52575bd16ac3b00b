import assert from "node:assert/strict";
import { H4Error } from "../format/errors.ts";
import {
  encodeIdentityFile,
  encodeRecipientFile,
  generateIdentity,
  identityFromSecret,
  parseIdentityFile,
  parseRecipientFile,
  recipientId,
} from "./identity.ts";

const ID = identityFromSecret(new Uint8Array(32).fill(3));

function badKey(f: () => unknown, secret?: Uint8Array): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof H4Error);
    assert.equal(e.code, "H4_CIPHER_BAD_KEY");
    assert.equal(e.rule, "H4-RCP-001");
    if (secret) assert.ok(!e.message.includes(secret.toBase64().slice(0, 12)), e.message);
    return true;
  });
}

Deno.test("H4-RCP-001: identity and recipient files round-trip; the recipient id is the public key's", () => {
  const g = generateIdentity();
  assert.equal(g.secretKey.length, 32);
  const back = parseIdentityFile(encodeIdentityFile(g));
  assert.deepEqual(back.secretKey, g.secretKey);
  assert.deepEqual(back.recipient, g.recipient);
  const r = parseRecipientFile(encodeRecipientFile(g.recipient));
  assert.deepEqual(r, g.recipient);
  assert.match(
    encodeRecipientFile(ID.recipient),
    /^h4mk-recipient-1 [A-Za-z0-9+/]{43}= [0-9a-f]{16}\n$/,
  );
  assert.equal(ID.recipient.id, recipientId(ID.recipient.publicKey));
  assert.notEqual(generateIdentity().recipient.id, g.recipient.id);
});

Deno.test("H4-RCP-001: malformed identity and recipient files are H4_CIPHER_BAD_KEY without key bytes", () => {
  const idText = encodeIdentityFile(ID);
  const rText = encodeRecipientFile(ID.recipient);
  for (
    const t of [
      "",
      "\n",
      idText + "\n",
      idText.replace(" ", "  "),
      idText.replace(" ", "\t"),
      idText.replace("\n", "\r\n"),
      " " + idText,
      idText.trim() + " x\n",
      idText.replace("h4mk-identity-1", "h4mk-key-1"),
      idText.replace("=", ""),
      rText,
    ]
  ) badKey(() => parseIdentityFile(t), ID.secretKey);
  const wrongId = rText.replace(/[0-9a-f]{16}\n$/, "0000000000000000\n");
  for (
    const t of [
      "",
      wrongId,
      rText.replace(/ [0-9a-f]{16}\n$/, "\n"),
      rText.replace(/[0-9a-f]{16}\n$/, ID.recipient.id.toUpperCase() + "\n"),
      rText.replace("h4mk-recipient-1", "h4mk-identity-1"),
      idText,
      rText + rText,
    ]
  ) badKey(() => parseRecipientFile(t));
  assert.throws(() => parseRecipientFile(wrongId), /is not the id of its public key/);
});
