// Time-ordered ids (UUID version 7, RFC 9562) for rows written in bulk: consecutive ids land on the same
// index pages, where random (version 4) ids touch a different page for every row — at a million students that
// is most of the cost of maintaining the primary key and every foreign-key index that points at it.
// The `uuid` package's v7 draws its randomness per call (≈5 µs an id); this draws it in blocks.
import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(10 * 4096);
let offset = pool.length;
let lastMs = 0;
let counter = 0;

/** A UUIDv7: 48 bits of Unix milliseconds, a 12-bit counter within the millisecond, 62 random bits. */
export function timeOrderedId(now = Date.now()): string {
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  if (now <= lastMs) {
    // Same millisecond (or a clock step back): keep order with the counter, borrowing a millisecond when full.
    counter++;
    if (counter > 0xfff) {
      lastMs++;
      counter = 0;
    }
  } else {
    lastMs = now;
    counter = 0;
  }
  const ms = lastMs.toString(16).padStart(12, '0');
  const rand = pool.toString('hex', offset, offset + 8);
  offset += 10;
  const variant = ((parseInt(rand.slice(0, 1), 16) & 0x3) | 0x8).toString(16);
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${counter.toString(16).padStart(3, '0')}-${variant}${rand.slice(1, 4)}-${rand.slice(4, 16)}`;
}
