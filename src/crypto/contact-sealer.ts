import * as age from 'age-encryption';

/**
 * Encrypts private contact details to the center's age recipients before they reach storage
 * (promise 2). The matching identities are kept offline by editors; the server cannot decrypt.
 * Returns ASCII armour so the ciphertext is plain text in either database.
 */
export async function sealContact(plaintext: string, recipients: readonly string[]): Promise<string> {
  if (recipients.length === 0) throw new Error('sealContact needs at least one age recipient');
  const encrypter = new age.Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  return age.armor.encode(await encrypter.encrypt(plaintext));
}

/** Decrypts armoured contact details with one or more identities; throws if tampered with or not ours. */
export async function openContact(armored: string, identities: readonly string[]): Promise<string> {
  const decrypter = new age.Decrypter();
  for (const identity of identities) decrypter.addIdentity(identity);
  return decrypter.decrypt(age.armor.decode(armored), 'text');
}

/** A new X25519 identity (kept secret, offline) and the recipient to configure on the server. */
export async function generateKeyPair(): Promise<{ identity: string; recipient: string }> {
  const identity = await age.generateX25519Identity();
  return { identity, recipient: await age.identityToRecipient(identity) };
}

/** The identities in an age identity file: `AGE-SECRET-KEY-…` lines, comments ignored. */
export function parseIdentityFile(contents: string): string[] {
  return contents
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.startsWith('AGE-SECRET-KEY-'));
}
