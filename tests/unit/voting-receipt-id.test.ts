import { describe, expect, it } from 'vitest';
import {
  normaliseReceiptId,
  RECEIPT_ALPHABET,
  RECEIPT_ID_BYTES,
  receiptIdFromBytes,
} from '../../src/lib/voting/receipt-id';

describe('receipt ids', () => {
  it('use no look-alike characters and come in groups of four for reading aloud', () => {
    expect(RECEIPT_ALPHABET).not.toMatch(/[0O1Il]/);
    expect(new Set(RECEIPT_ALPHABET).size).toBe(32);
    const bytes = Uint8Array.from({ length: RECEIPT_ID_BYTES }, (_, index) => index * 37);
    const id = receiptIdFromBytes(bytes);
    expect(id).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(receiptIdFromBytes(new Uint8Array(RECEIPT_ID_BYTES))).toBe('2222-2222-2222');
    expect(receiptIdFromBytes(new Uint8Array(RECEIPT_ID_BYTES).fill(255))).toBe('ZZZZ-ZZZZ-ZZZZ');
  });

  it('read a typed id back in any case, with or without dashes; old ids stay exact', () => {
    expect(normaliseReceiptId(' k7m2 qx9p 4htw ')).toBe('K7M2-QX9P-4HTW');
    expect(normaliseReceiptId('K7M2QX9P4HTW')).toBe('K7M2-QX9P-4HTW');
    expect(normaliseReceiptId('K7M2-QX9P-4HTW')).toBe('K7M2-QX9P-4HTW');
    expect(normaliseReceiptId('aZ09_-aZ09_-aZ09')).toBe('aZ09_-aZ09_-aZ09');
    expect(normaliseReceiptId('K7M2-QX9P-4HT0')).toBeNull();
    expect(normaliseReceiptId('short')).toBeNull();
    expect(normaliseReceiptId('')).toBeNull();
  });
});
