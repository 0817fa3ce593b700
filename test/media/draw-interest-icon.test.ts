import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { INTEREST_FAMILIES, type InterestFamily } from '../../shared/domain/script.js';
import { drawInterestIcon } from '../../shared/media/draw-interest-icon.js';

const CANVAS = 320;
const SIZE = 200;
const BOX0 = (CANVAS - SIZE) / 2; // the icon box is [BOX0, BOX0 + SIZE) on both axes
const COLOR = '#f4f6fb';
const ACCENT = '#00d4ff';

interface Drawn {
  alpha: Uint8Array;
  hash: string;
}

function draw(family: InterestFamily): Drawn {
  const canvas = createCanvas(CANVAS, CANVAS);
  const ctx = canvas.getContext('2d');
  drawInterestIcon(ctx, family, CANVAS / 2, CANVAS / 2, SIZE, COLOR, ACCENT);
  const { data } = ctx.getImageData(0, 0, CANVAS, CANVAS);
  const alpha = new Uint8Array(CANVAS * CANVAS);
  for (let i = 0; i < alpha.length; i++) alpha[i] = data[i * 4 + 3];
  return { alpha, hash: createHash('sha256').update(data).digest('hex') };
}

const inBox = (x: number, y: number) => x >= BOX0 && x < BOX0 + SIZE && y >= BOX0 && y < BOX0 + SIZE;

describe('media: interest icons', () => {
  const drawn = new Map<InterestFamily, Drawn>();
  before(() => {
    for (const family of INTEREST_FAMILIES) drawn.set(family, draw(family));
  });

  for (const family of INTEREST_FAMILIES) {
    it(`${family}: draws inside its box and nothing outside it`, () => {
      const { alpha } = drawn.get(family)!;
      let inside = 0;
      const outside: string[] = [];
      for (let y = 0; y < CANVAS; y++) {
        for (let x = 0; x < CANVAS; x++) {
          const a = alpha[y * CANVAS + x];
          if (a === 0) continue;
          if (inBox(x, y)) inside++;
          else if (outside.length < 5) outside.push(`(${x},${y})=${a}`);
        }
      }
      assert.deepEqual(outside, [], `${family} paints outside its box`);
      // A bold icon covers a good part of its box, and never all of it.
      const share = inside / (SIZE * SIZE);
      assert.ok(share > 0.15, `${family} covers only ${(share * 100).toFixed(1)}% of its box`);
      assert.ok(share < 0.85, `${family} covers ${(share * 100).toFixed(1)}% of its box`);
    });

    it(`${family}: leaves the context state as it found it`, () => {
      const ctx = createCanvas(CANVAS, CANVAS).getContext('2d');
      ctx.setTransform(1.5, 0, 0, 1.5, 7, -3);
      ctx.fillStyle = '#123456';
      ctx.strokeStyle = '#654321';
      ctx.lineWidth = 3;
      ctx.lineCap = 'square';
      ctx.globalAlpha = 0.75;
      const before = ctx.getTransform();
      drawInterestIcon(ctx, family, 100, 100, 120, COLOR, ACCENT);
      assert.equal(ctx.fillStyle, '#123456');
      assert.equal(ctx.strokeStyle, '#654321');
      assert.equal(ctx.lineWidth, 3);
      assert.equal(ctx.lineCap, 'square');
      assert.equal(ctx.globalAlpha, 0.75);
      const after = ctx.getTransform();
      assert.deepEqual([after.a, after.b, after.c, after.d, after.e, after.f], [before.a, before.b, before.c, before.d, before.e, before.f]);
    });
  }

  it('draws a different icon for every family', () => {
    const seen = new Map<string, InterestFamily>();
    for (const family of INTEREST_FAMILIES) {
      const { hash } = drawn.get(family)!;
      assert.equal(seen.get(hash), undefined, `${family} looks exactly like ${seen.get(hash)}`);
      seen.set(hash, family);
    }
    // Beyond the hashes: every pair differs in a good share of its pixels' coverage.
    for (let i = 0; i < INTEREST_FAMILIES.length; i++) {
      for (let j = i + 1; j < INTEREST_FAMILIES.length; j++) {
        const a = drawn.get(INTEREST_FAMILIES[i])!.alpha;
        const b = drawn.get(INTEREST_FAMILIES[j])!.alpha;
        let differ = 0;
        for (let k = 0; k < a.length; k++) if ((a[k] > 127) !== (b[k] > 127)) differ++;
        assert.ok(differ > SIZE * SIZE * 0.05, `${INTEREST_FAMILIES[i]} and ${INTEREST_FAMILIES[j]} are nearly the same shape`);
      }
    }
  });

  it('writes a contact sheet of all icons to test-output/interest-icons.png', async () => {
    const cell = 300;
    const cols = 4;
    const rows = Math.ceil(INTEREST_FAMILIES.length / cols);
    const canvas = createCanvas(cols * cell, rows * cell + 120);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#1a1a2e';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    INTEREST_FAMILIES.forEach((family, i) => {
      const cx = (i % cols) * cell + cell / 2;
      const cy = Math.floor(i / cols) * cell + cell / 2;
      ctx.strokeStyle = '#2e2e52';
      ctx.lineWidth = 1;
      ctx.strokeRect(cx - SIZE / 2 + 0.5, cy - SIZE / 2 + 0.5, SIZE - 1, SIZE - 1);
      drawInterestIcon(ctx, family, cx, cy, SIZE, COLOR, ACCENT);
    });
    // A strip of small icons (as on a phone screen) under the grid.
    INTEREST_FAMILIES.forEach((family, i) => {
      drawInterestIcon(ctx, family, 60 + i * 100, rows * cell + 60, 64, '#f7f9fa', '#ff9d91');
    });
    const dir = path.resolve('test-output');
    await mkdir(dir, { recursive: true });
    const png = await canvas.encode('png');
    await writeFile(path.join(dir, 'interest-icons.png'), png);
    assert.ok(png.length > 1000);
  });
});
