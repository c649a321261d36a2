import { hash, randomInt } from 'node:crypto';

/**
 * Receipt alphabet: digits and capitals without the ones people confuse when copying by hand
 * (0/O, 1/I/L, U/V kept apart by dropping U). 30 symbols, 20 of them: 98 bits of entropy.
 */
export const RECEIPT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 20;
const GROUP = 4;

/** A new receipt from the CSPRNG, formatted `XXXX-XXXX-XXXX-XXXX-XXXX`. Shown once, never stored. */
export function generateReceipt(): string {
  let symbols = '';
  for (let i = 0; i < LENGTH; i++) symbols += RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)];
  return formatReceipt(symbols);
}

function formatReceipt(symbols: string): string {
  const groups: string[] = [];
  for (let i = 0; i < symbols.length; i += GROUP) groups.push(symbols.slice(i, i + GROUP));
  return groups.join('-');
}

/**
 * Reads a receipt as a person may type it: any case, with or without dashes or spaces.
 * Returns the canonical 20 symbols, or null when it cannot be a receipt.
 */
export function parseReceipt(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const symbols = input.toUpperCase().replace(/[\s\-‐‑–—_.]/g, '');
  if (symbols.length !== LENGTH) return null;
  for (const symbol of symbols) if (!RECEIPT_ALPHABET.includes(symbol)) return null;
  return symbols;
}

/**
 * What is stored instead of the receipt. A plain SHA-256 is enough: the receipt has 98 random
 * bits, so there is no dictionary to try, and the hash is indexable for look-up.
 */
export function hashReceipt(canonical: string): string {
  return hash('sha256', `rcenter-receipt:${canonical}`, 'hex');
}
