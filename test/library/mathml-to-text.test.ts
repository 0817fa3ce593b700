import assert from 'node:assert/strict';
import { mathToText } from '../../shared/library/mathml-to-text.js';
import { parseXml, type Element } from '../../shared/library/xml.js';

const M = (inner: string): Element => parseXml(`<math xmlns="http://www.w3.org/1998/Math/MathML">${inner}</math>`, "test").documentElement as unknown as Element;

describe('library: inline MathML written for the screen', () => {
  it('writes a quantity with a power of ten and a unit (Physics, Ohm\'s law example)', () => {
    // Δt = 2.00 × 10⁻³ s
    const m = M('<mrow><mi>Δ</mi><mi>t</mi><mo>=</mo><mn>2.00</mn><mo>×</mo><msup><mn>10</mn><mrow><mo>−</mo><mn>3</mn></mrow></msup><mtext> s</mtext></mrow>');
    assert.equal(mathToText(m), 'Δt = 2.00 × 10⁻³ s');
  });

  it('writes chemical subscripts, fractions with parentheses and unary signs', () => {
    assert.equal(mathToText(M('<msub><mi>H</mi><mn>2</mn></msub><mi>O</mi>')), 'H₂O');
    assert.equal(mathToText(M('<mi>v</mi><mo>=</mo><mfrac><mi>d</mi><mi>t</mi></mfrac>')), 'v = d/t');
    assert.equal(mathToText(M('<mfrac><mrow><mn>4.7</mn><mi mathvariant="normal">g</mi></mrow><mrow><mn>39.10</mn><mtext>g/mol</mtext></mrow></mfrac>')), '(4.7 g)/(39.10 g/mol)');
    assert.equal(mathToText(M('<mi>x</mi><mo>=</mo><mo>−</mo><mn>6</mn>')), 'x = −6');
    assert.equal(mathToText(M('<msqrt><mn>2</mn></msqrt>')), '√2');
  });

  it('keeps the spoken form (null) for what does not read well on a line', () => {
    // a subscript with no Unicode form (v sub 0y), a table, a sum with limits
    assert.equal(mathToText(M('<msub><mi>v</mi><mrow><mn>0</mn><mi>y</mi></mrow></msub>')), null);
    assert.equal(mathToText(M('<mtable><mtr><mtd><mi>x</mi></mtd></mtr></mtable>')), null);
    assert.equal(mathToText(M('<munderover><mo>∑</mo><mi>i</mi><mi>n</mi></munderover>')), null);
    assert.equal(mathToText(M('<mi>a</mi>'.repeat(60))), null);
  });
});
