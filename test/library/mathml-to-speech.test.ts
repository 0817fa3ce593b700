import assert from 'node:assert/strict';
import { mathMlToSpeech } from '../../shared/library/mathml-to-speech.js';

const M = (inner: string): string => `<m:math>${inner}</m:math>`;

describe('library: MathML to speech', () => {
  const cases: [string, string, string][] = [
    ['subscript with text', M('<m:msub><m:mi>F</m:mi><m:mtext>AB</m:mtext></m:msub>'), 'F sub AB'],
    ['equals and unary minus (U+2212)', M('<m:msub><m:mi>F</m:mi><m:mtext>AB</m:mtext></m:msub><m:mo>=</m:mo><m:mo>−</m:mo><m:msub><m:mi>F</m:mi><m:mtext>BA</m:mtext></m:msub>'), 'F sub AB equals minus F sub BA'],
    ['hyphen-minus as operator', M('<m:mi>a</m:mi><m:mo>-</m:mo><m:mi>b</m:mi>'), 'a minus b'],
    ['plus', M('<m:mn>2</m:mn><m:mo>+</m:mo><m:mn>3</m:mn>'), '2 plus 3'],
    ['times (×) and dot (·, ⋅)', M('<m:mi>a</m:mi><m:mo>×</m:mo><m:mi>b</m:mi><m:mo>·</m:mo><m:mi>c</m:mi><m:mo>⋅</m:mo><m:mi>d</m:mi>'), 'a times b times c times d'],
    ['simple fraction', M('<m:mfrac><m:mi>a</m:mi><m:mi>b</m:mi></m:mfrac>'), 'a over b'],
    ['fraction of words', M('<m:mfrac><m:mtext>mass</m:mtext><m:mtext>volume</m:mtext></m:mfrac>'), 'mass over volume'],
    ['compound fraction', M('<m:mfrac><m:mrow><m:mi>a</m:mi><m:mo>+</m:mo><m:mi>b</m:mi></m:mrow><m:mi>c</m:mi></m:mfrac>'), 'the fraction with numerator a plus b and denominator c'],
    ['squared', M('<m:msup><m:mi>x</m:mi><m:mn>2</m:mn></m:msup>'), 'x squared'],
    ['cubed', M('<m:msup><m:mi>x</m:mi><m:mn>3</m:mn></m:msup>'), 'x cubed'],
    ['power n', M('<m:msup><m:mi>x</m:mi><m:mi>n</m:mi></m:msup>'), 'x to the power n'],
    ['negative power', M('<m:msup><m:mn>10</m:mn><m:mrow><m:mo>−</m:mo><m:mn>3</m:mn></m:mrow></m:msup>'), '10 to the power minus 3'],
    ['units squared', M('<m:mtext>m/s</m:mtext><m:msup><m:mrow/><m:mn>2</m:mn></m:msup>'), 'm/s squared'],
    // Chemistry 2e glossary, mole: "... in exactly 12 grams of ¹²C"
    ['an isotope: mass number before its element', M('<m:msup><m:mrow/><m:mn>12</m:mn></m:msup><m:mtext>C</m:mtext>'), '12 C'],
    ['an isotope with mass and atomic numbers', M('<m:msubsup><m:mrow/><m:mn>6</m:mn><m:mn>14</m:mn></m:msubsup><m:mtext>C</m:mtext>'), '14 C'],
    ['power of a bracket', M('<m:msup><m:mrow><m:mo>(</m:mo><m:mi>x</m:mi><m:mo>+</m:mo><m:mn>1</m:mn><m:mo>)</m:mo></m:mrow><m:mn>2</m:mn></m:msup>'), 'the quantity x plus 1, squared'],
    ['square root', M('<m:msqrt><m:mn>2</m:mn></m:msqrt>'), 'the square root of 2'],
    ['square root of an expression', M('<m:msqrt><m:msup><m:mi>b</m:mi><m:mn>2</m:mn></m:msup><m:mo>−</m:mo><m:mn>4</m:mn><m:mi>a</m:mi><m:mi>c</m:mi></m:msqrt>'), 'the square root of b squared minus 4 a c'],
    ['cube root', M('<m:mroot><m:mi>x</m:mi><m:mn>3</m:mn></m:mroot>'), 'the cube root of x'],
    ['Greek letters by name', M('<m:mi>α</m:mi><m:mo>+</m:mo><m:mi>θ</m:mi><m:mo>+</m:mo><m:mi>λ</m:mi><m:mo>+</m:mo><m:mi>ω</m:mi>'), 'alpha plus theta plus lambda plus omega'],
    ['delta', M('<m:mi>Δ</m:mi><m:mi>v</m:mi>'), 'delta v'],
    ['pi in a number', M('<m:mn>2</m:mn><m:mi>π</m:mi><m:mi>r</m:mi>'), '2 pi r'],
    ['plus or minus', M('<m:mi>x</m:mi><m:mo>=</m:mo><m:mo>±</m:mo><m:mn>3</m:mn>'), 'x equals plus or minus 3'],
    ['comparisons', M('<m:mi>a</m:mi><m:mo>≤</m:mo><m:mi>b</m:mi><m:mo>&lt;</m:mo><m:mi>c</m:mi><m:mo>≠</m:mo><m:mi>d</m:mi>'), 'a is less than or equal to b is less than c is not equal to d'],
    ['approximately', M('<m:mi>g</m:mi><m:mo>≈</m:mo><m:mn>9.8</m:mn>'), 'g is approximately equal to 9.8'],
    ['division sign', M('<m:mn>6</m:mn><m:mo>÷</m:mo><m:mn>2</m:mn>'), '6 divided by 2'],
    ['reaction arrow', M('<m:mtext>2H</m:mtext><m:msub><m:mrow/><m:mn>2</m:mn></m:msub><m:mo>+</m:mo><m:msub><m:mtext>O</m:mtext><m:mn>2</m:mn></m:msub><m:mo>⟶</m:mo><m:mtext>water</m:mtext>'), '2H sub 2 plus O sub 2 yields water'],
    ['equilibrium arrow', M('<m:mtext>A</m:mtext><m:mo>⇌</m:mo><m:mtext>B</m:mtext>'), 'A is in equilibrium with B'],
    ['ion charge', M('<m:msup><m:mtext>Ca</m:mtext><m:mrow><m:mn>2</m:mn><m:mo>+</m:mo></m:mrow></m:msup>'), 'Ca 2 plus'],
    ['degrees', M('<m:msup><m:mn>30</m:mn><m:mo>∘</m:mo></m:msup>'), '30 degrees'],
    ['named function with "of"', M('<m:mi>sin</m:mi><m:mi>θ</m:mi>'), 'sine of theta'],
    ['function letter', M('<m:mi>f</m:mi><m:mo>(</m:mo><m:mi>x</m:mi><m:mo>)</m:mo>'), 'f of x'],
    ['log base', M('<m:msub><m:mi>log</m:mi><m:mn>2</m:mn></m:msub><m:mi>x</m:mi>'), 'log base 2 of x'],
    ['limit', M('<m:munder><m:mi>lim</m:mi><m:mrow><m:mi>x</m:mi><m:mo>→</m:mo><m:mn>0</m:mn></m:mrow></m:munder><m:mi>f</m:mi><m:mo>(</m:mo><m:mi>x</m:mi><m:mo>)</m:mo>'), 'the limit as x approaches 0 of f of x'],
    ['absolute value', M('<m:mrow><m:mo>|</m:mo><m:mi>x</m:mi><m:mo>|</m:mo></m:mrow>'), 'the absolute value of x'],
    ['bracketed factors multiply', M('<m:mrow><m:mo>(</m:mo><m:mi>x</m:mi><m:mo>−</m:mo><m:mn>2</m:mn><m:mo>)</m:mo></m:mrow><m:mrow><m:mo>(</m:mo><m:mi>x</m:mi><m:mo>+</m:mo><m:mn>3</m:mn><m:mo>)</m:mo></m:mrow>'), 'the quantity x minus 2, times the quantity x plus 3'],
    ['vector accent', M('<m:mover><m:mi>v</m:mi><m:mo>→</m:mo></m:mover>'), 'vector v'],
    ['bar accent', M('<m:mover><m:mi>x</m:mi><m:mo>¯</m:mo></m:mover>'), 'x bar'],
    ['sum with limits', M('<m:munderover><m:mo>∑</m:mo><m:mrow><m:mi>i</m:mi><m:mo>=</m:mo><m:mn>1</m:mn></m:mrow><m:mi>n</m:mi></m:munderover><m:msub><m:mi>a</m:mi><m:mi>i</m:mi></m:msub>'), 'the sum from i equals 1 to n of a sub i'],
    ['mstyle is transparent', M('<m:mstyle mathvariant="bold"><m:mi>F</m:mi></m:mstyle><m:mo>=</m:mo><m:mi>m</m:mi><m:mstyle mathvariant="bold"><m:mi>a</m:mi></m:mstyle>'), 'F equals m a'],
    ['spaces are silent', M('<m:mn>49.0</m:mn><m:mspace width="0.3em"/><m:mtext> N</m:mtext>'), '49.0 N'],
    ['table rows', M('<m:mtable><m:mtr><m:mtd><m:mi>x</m:mi><m:mo>=</m:mo><m:mn>1</m:mn></m:mtd></m:mtr><m:mtr><m:mtd><m:mi>y</m:mi><m:mo>=</m:mo><m:mn>2</m:mn></m:mtd></m:mtr></m:mtable>'), 'x equals 1; y equals 2'],
    ['trailing punctuation kept', M('<m:mi>N</m:mi><m:mo>=</m:mo><m:mi>m</m:mi><m:mi>g</m:mi><m:mo>.</m:mo>'), 'N equals m g.'],
    ['unprefixed MathML', '<math><mi>E</mi><mo>=</mo><mi>m</mi><msup><mi>c</mi><mn>2</mn></msup></math>', 'E equals m c squared'],
  ];
  for (const [name, xml, expected] of cases) {
    it(name, () => assert.equal(mathMlToSpeech(xml), expected));
  }

  it('never leaves MathML operator symbols in the output of common markup', () => {
    const spoken = mathMlToSpeech(M('<m:mi>a</m:mi><m:mo>=</m:mo><m:mi>b</m:mi><m:mo>−</m:mo><m:mi>c</m:mi><m:mo>×</m:mo><m:mi>d</m:mi><m:mo>±</m:mo><m:mi>e</m:mi>'));
    assert.doesNotMatch(spoken, /[=−×±]/);
  });
});
