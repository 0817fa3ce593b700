import assert from 'node:assert/strict';
import { createCanvas } from '@napi-rs/canvas';
import { sniffImage } from '../../shared/media/image-probe.js';

describe('media: image header sniffing', () => {
  it('reads PNG and JPEG sizes from their bytes', async () => {
    const c = createCanvas(321, 123);
    c.getContext('2d').fillRect(0, 0, 10, 10);
    assert.deepEqual(sniffImage(await c.encode('png')), { type: 'png', width: 321, height: 123 });
    assert.deepEqual(sniffImage(await c.encode('jpeg', 80)), { type: 'jpeg', width: 321, height: 123 });
  });

  it('returns null for anything else', () => {
    assert.equal(sniffImage(Buffer.from('GIF89a....')), null);
    assert.equal(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), null);
    assert.equal(sniffImage(Buffer.alloc(0)), null);
    assert.equal(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xd9])), null);
  });
});
