import assert from 'node:assert/strict';
import { SUBJECTS } from '../../shared/domain/library.js';
import { contrastRatio, THEMES, themeFor } from '../../shared/media/themes.js';

describe('media: subject themes', () => {
  it('keeps the palette of the reference notes', () => {
    assert.deepEqual([THEMES.physics.background, THEMES.physics.accent], ['#1a1a2e', '#00d4ff']);
    assert.deepEqual([THEMES.math.background, THEMES.math.accent], ['#2c3e50', '#e74c3c']);
    assert.deepEqual([THEMES.chemistry.background, THEMES.chemistry.accent], ['#16213e', '#0f3460']);
    assert.deepEqual([THEMES.default.background, THEMES.default.accent], ['#1e1e1e', '#4CAF50']);
  });

  it('has a theme for every subject, and the default for anything else', () => {
    for (const s of SUBJECTS) assert.equal(themeFor(s).name, s);
    assert.equal(themeFor('PHYSICS').name, 'physics');
    assert.equal(themeFor('Mathematics').name, 'math');
    assert.equal(themeFor('astrology').name, 'default');
    assert.equal(themeFor('').name, 'default');
    assert.equal(themeFor(undefined).name, 'default');
  });

  it('every text colour is readable on its background and panel (WCAG)', () => {
    for (const t of Object.values(THEMES)) {
      for (const bg of [t.background, t.gradient[0], t.gradient[1]]) {
        assert.ok(contrastRatio(t.text, bg) >= 7, `${t.name} text on ${bg}`);
        assert.ok(contrastRatio(t.mutedText, bg) >= 4.5, `${t.name} muted on ${bg}`);
        assert.ok(contrastRatio(t.accentText, bg) >= 4.5, `${t.name} accentText on ${bg}`);
      }
      assert.ok(contrastRatio(t.text, t.panel) >= 4.5, `${t.name} text on panel`);
      // Numbers in the takeaway badges: background colour on accentText.
      assert.ok(contrastRatio(t.background, t.accentText) >= 4.5, `${t.name} badge`);
    }
  });

  it('gives chemistry (and math) a lighter heading colour where the palette accent is too dark', () => {
    assert.ok(contrastRatio(THEMES.chemistry.accent, THEMES.chemistry.background) < 2);
    assert.notEqual(THEMES.chemistry.accentText, THEMES.chemistry.accent);
    assert.ok(contrastRatio(THEMES.math.accent, THEMES.math.background) < 3);
    assert.notEqual(THEMES.math.accentText, THEMES.math.accent);
  });

  it('contrast ratio matches known values', () => {
    assert.ok(Math.abs(contrastRatio('#000000', '#ffffff') - 21) < 1e-9);
    assert.equal(contrastRatio('#777', '#777777'), 1);
  });
});
