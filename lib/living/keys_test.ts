import assert from "node:assert/strict";
import { hkdfSync } from "node:crypto";
import { isH4Error } from "../format/errors.ts";
import {
  deriveKeyFromSharedSecret,
  describeKey,
  encodeKeyFile,
  generateKey,
  type LivingKey,
  parseKeyFile,
  requireRootKey,
  toLivingKey,
} from "./keys.ts";

const KEY = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
const CID = Uint8Array.from({ length: 16 }, (_, i) => i);

Deno.test("keys: generateKey gives 32 fresh bytes", () => {
  const a = generateKey();
  assert.equal(a.length, 32);
  assert.notDeepEqual(a, generateKey());
});

Deno.test("keys: deriveKeyFromSharedSecret is HKDF-SHA256 with the LivingCipher salt", () => {
  const secret = new Uint8Array(32).fill(7);
  const want = new Uint8Array(
    hkdfSync(
      "sha256",
      secret,
      new TextEncoder().encode("H4MK-LC1 shared secret"),
      new TextEncoder().encode("h4mk living key"),
      32,
    ),
  );
  assert.deepEqual(deriveKeyFromSharedSecret(secret), want);
  assert.notDeepEqual(deriveKeyFromSharedSecret(secret, "other"), want);
  assert.deepEqual(
    deriveKeyFromSharedSecret(secret, "other"),
    deriveKeyFromSharedSecret(secret.slice(), "other"),
  );
  assert.throws(
    () => deriveKeyFromSharedSecret(new Uint8Array(15)),
    (e) => isH4Error(e, "H4_CIPHER_BAD_KEY"),
  );
});

Deno.test("keys: key files round-trip, with the documented text", () => {
  const root: LivingKey = { kind: "root", key: KEY };
  const text = encodeKeyFile(root);
  assert.equal(text, `h4mk-key-1 ${KEY.toBase64()}\n`);
  assert.deepEqual(parseKeyFile(text), root);
  const epoch: LivingKey = { kind: "epoch", containerId: CID, epoch: 42, key: KEY };
  const etext = encodeKeyFile(epoch);
  assert.equal(etext, `h4mk-epoch-key-1 000102030405060708090a0b0c0d0e0f 42 ${KEY.toBase64()}\n`);
  assert.deepEqual(parseKeyFile(etext), epoch);
  // The final LF is optional; nothing else is.
  assert.deepEqual(parseKeyFile(text.slice(0, -1)), root);
  assert.deepEqual(parseKeyFile(etext.slice(0, -1)), epoch);
});

Deno.test("keys: the key-file grammar is strict: one line, single spaces, at most one final LF (H4-LC-002)", () => {
  const b64 = KEY.toBase64();
  const e = `h4mk-epoch-key-1 ${CID.toHex()} 42 ${b64}`;
  const cases: [string, RegExp][] = [
    [`h4mk-key-1 ${b64}\r\n`, /CR/],
    [`h4mk-key-1 ${b64}\r`, /CR/],
    [`h4mk-key-1\t${b64}\n`, /tab/],
    [`h4mk-key-1  ${b64}\n`, /two spaces/],
    [`${e.replace(" 42 ", "  42 ")}\n`, /two spaces/],
    [` h4mk-key-1 ${b64}\n`, /space before/],
    [`h4mk-key-1 ${b64} \n`, /space before|after/],
    [`h4mk-key-1 ${b64}\n\n`, /second line/],
    [`\nh4mk-key-1 ${b64}\n`, /second line/],
    [`\ufeffh4mk-key-1 ${b64}\n`, /byte order mark/],
    [`h4mk-key-1\u00a0${b64}\n`, /printable ASCII/],
    ["\n", /empty line/],
    ["", /empty/],
  ];
  for (const [text, why] of cases) {
    assert.throws(() => parseKeyFile(text), (err) => {
      assert.ok(isH4Error(err, "H4_CIPHER_BAD_KEY"), `${JSON.stringify(text)}: ${err}`);
      assert.match(err.message, why, JSON.stringify(text));
      assert.ok(!err.message.includes(b64.slice(0, 12)), err.message);
      return true;
    });
  }
  // An unknown type is refused by name: the first word is the role field, never guessed.
  assert.throws(
    () => parseKeyFile(`h4mk-recipient-1 ${b64}\n`),
    (err) => isH4Error(err, "H4_CIPHER_BAD_KEY") && /"h4mk-recipient-1"/.test(err.message),
  );
});

Deno.test("keys: roles: only a root key passes requireRootKey; the error names the role", () => {
  assert.deepEqual(requireRootKey(KEY, "sealing"), { kind: "root", key: KEY });
  const grant: LivingKey = { kind: "epoch", containerId: CID, epoch: 0, key: KEY };
  assert.throws(() => requireRootKey(grant, "sealing"), (err) => {
    assert.ok(isH4Error(err, "H4_CIPHER_BAD_KEY"));
    assert.equal(err.rule, "H4-LC-020");
    assert.match(err.message, /sealing needs a root key .*got an epoch key .*from epoch 0/);
    assert.ok(!err.message.includes(KEY.toBase64().slice(0, 12)));
    return true;
  });
  assert.equal(
    describeKey(grant),
    `an epoch key (a reading grant for container ${CID.toHex()} from epoch 0)`,
  );
});

Deno.test("keys: every malformed key file is H4_CIPHER_BAD_KEY and never echoes the key", () => {
  const b64 = KEY.toBase64();
  const cases = [
    "",
    "\n",
    b64,
    `h4mk-key-2 ${b64}`,
    `h4mk-key-1`,
    `h4mk-key-1 ${b64} extra`,
    `h4mk-key-1 ${b64.slice(0, -1)}`,
    `h4mk-key-1 ${b64.replace("=", "A")}`,
    `h4mk-key-1 ${new Uint8Array(31).toBase64()}`,
    `h4mk-key-1 ${b64.slice(0, 42)}B=`, // non-canonical last character
    `h4mk-key-1 ${b64}\nh4mk-key-1 ${b64}`,
    `h4mk-epoch-key-1 ${CID.toHex()} 1`,
    `h4mk-epoch-key-1 ${CID.toHex().toUpperCase()} 1 ${b64}`,
    `h4mk-epoch-key-1 ${CID.toHex().slice(2)} 1 ${b64}`,
    `h4mk-epoch-key-1 ${CID.toHex()} 01 ${b64}`,
    `h4mk-epoch-key-1 ${CID.toHex()} -1 ${b64}`,
    `h4mk-epoch-key-1 ${CID.toHex()} 4294967296 ${b64}`,
    `h4mk-epoch-key-1 ${CID.toHex()} 1.5 ${b64}`,
    "x".repeat(2000),
  ];
  for (const c of cases) {
    assert.throws(() => parseKeyFile(c), (e) => {
      assert.ok(isH4Error(e, "H4_CIPHER_BAD_KEY"), `${JSON.stringify(c)}: ${e}`);
      assert.ok(!e.message.includes(b64.slice(0, 12)), `message leaks the key: ${e.message}`);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  }
  assert.throws(() => parseKeyFile(5 as never), (e) => isH4Error(e, "H4_CIPHER_BAD_KEY"));
});

Deno.test("keys: toLivingKey checks shapes", () => {
  assert.deepEqual(toLivingKey(KEY), { kind: "root", key: KEY });
  assert.throws(() => toLivingKey(new Uint8Array(16)), (e) => isH4Error(e, "H4_CIPHER_BAD_KEY"));
  assert.throws(
    () => toLivingKey({ kind: "epoch", containerId: CID, epoch: -1, key: KEY } as never),
    (e) => isH4Error(e, "H4_CIPHER_BAD_KEY"),
  );
  assert.throws(
    () =>
      toLivingKey({ kind: "epoch", containerId: new Uint8Array(3), epoch: 0, key: KEY } as never),
    (e) => isH4Error(e, "H4_CIPHER_BAD_KEY"),
  );
  assert.throws(() => toLivingKey(null as never), (e) => isH4Error(e, "H4_CIPHER_BAD_KEY"));
});
