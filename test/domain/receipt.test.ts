import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateReceipt, hashReceipt, parseReceipt, RECEIPT_ALPHABET } from '../../src/domain/receipt.js';

test('a receipt is five groups of four unambiguous symbols', () => {
  for (let i = 0; i < 200; i++) {
    const receipt = generateReceipt();
    assert.match(receipt, /^[2-9A-HJKMNP-TV-Z]{4}(-[2-9A-HJKMNP-TV-Z]{4}){4}$/);
    assert.ok(!/[01ILOU]/.test(receipt));
  }
});

test('a receipt carries at least 80 bits', () => {
  assert.ok(20 * Math.log2(RECEIPT_ALPHABET.length) >= 80);
  assert.equal(new Set(RECEIPT_ALPHABET).size, RECEIPT_ALPHABET.length);
});

test('receipts do not repeat and use every symbol', () => {
  const seen = new Set<string>();
  const symbols = new Set<string>();
  for (let i = 0; i < 5_000; i++) {
    const receipt = generateReceipt();
    assert.ok(!seen.has(receipt));
    seen.add(receipt);
    for (const s of receipt.replace(/-/g, '')) symbols.add(s);
  }
  assert.equal(symbols.size, RECEIPT_ALPHABET.length);
});

test('a receipt is read as a person types it', () => {
  const receipt = generateReceipt();
  const canonical = receipt.replace(/-/g, '');
  assert.equal(parseReceipt(receipt), canonical);
  assert.equal(parseReceipt(receipt.toLowerCase()), canonical);
  assert.equal(parseReceipt(` ${receipt.replace(/-/g, ' ')} `), canonical);
  assert.equal(parseReceipt(canonical), canonical);
});

test('anything else is not a receipt', () => {
  for (const bad of [undefined, null, 42, '', 'ABCD', 'O'.repeat(20), '1'.repeat(20), `${'A'.repeat(20)}B`, 'A'.repeat(10_000), "' or 1=1 --"]) {
    assert.equal(parseReceipt(bad), null, String(bad).slice(0, 30));
  }
});

test('the stored hash does not contain the receipt and differs per receipt', () => {
  const a = parseReceipt(generateReceipt())!;
  const b = parseReceipt(generateReceipt())!;
  assert.match(hashReceipt(a), /^[0-9a-f]{64}$/);
  assert.notEqual(hashReceipt(a), hashReceipt(b));
  assert.ok(!hashReceipt(a).toUpperCase().includes(a));
  assert.equal(hashReceipt(a), hashReceipt(a));
});
