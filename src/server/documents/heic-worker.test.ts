import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeHeicOffThread } from './heic-worker.ts';

// The HEIC decoder runs in a worker thread (an iPhone photo stalled every request for seconds on the
// main thread): a photo comes back as its pixels, a broken file as an error, and the worker goes on.

const photo = readFileSync(path.resolve('test/fixtures/photo.heic'));

describe('HEIC decoding in the worker thread', () => {
  it('gives the pixels of a photo, fails a broken file, and keeps decoding after it', async () => {
    const decoded = await decodeHeicOffThread(photo);
    expect({ width: decoded.width, height: decoded.height, bytes: decoded.data.byteLength }).toEqual({
      width: 64,
      height: 48,
      bytes: 64 * 48 * 4,
    });
    await expect(decodeHeicOffThread(Buffer.from('not a photo at all'))).rejects.toThrow();
    // Two at once wait their turn in the one worker; the caller's buffer is left as it was.
    const [first, second] = await Promise.all([decodeHeicOffThread(photo), decodeHeicOffThread(photo)]);
    expect([first.width, second.width]).toEqual([64, 64]);
    expect(photo.byteLength).toBeGreaterThan(0);
  });
});
