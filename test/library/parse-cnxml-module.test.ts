import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDropped, normalizeMimeType, parseCnxmlModule, readCnxmlModule, stripExercises } from '../../shared/library/parse-cnxml-module.js';
import { parseXml } from '../../shared/library/xml.js';
import { countWords } from '../../shared/text/sentences.js';
import { requireOerDir } from './oer.js';

const filler = (topic: string, n = 4): string =>
  Array.from({ length: n }, (_, i) => `The ${topic} idea number ${i} is described here in a plain sentence of modest length.`).join(' ');

/** A small module exercising every rule; media files live next to it under ../../media. */
function fixture(): { file: string; xml: string; mediaDir: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'vividly-cnxml-'));
  const moduleDir = path.join(root, 'modules', 'm99999');
  const mediaDir = path.join(root, 'media');
  mkdirSync(moduleDir, { recursive: true });
  mkdirSync(mediaDir, { recursive: true });
  writeFileSync(path.join(mediaDir, 'Coral reef (a).jpg'), 'x');
  writeFileSync(path.join(mediaDir, 'plain.png'), 'x');
  const xml = `<document xmlns="http://cnx.rice.edu/cnxml" xmlns:m="http://www.w3.org/1998/Math/MathML">
<title>Forces &amp; Motion</title>
<metadata xmlns:md="http://cnx.rice.edu/mdml"><md:content-id>m99999</md:content-id><md:title>Forces &amp; Motion</md:title>
<md:abstract><para>By the end:</para><list><item>Abstract objective</item></list></md:abstract></metadata>
<content>
<note class="learning-objectives"><title>Learning Objectives</title><list><item>Describe   forces</item><item>Use <m:math><m:mi>F</m:mi><m:mo>=</m:mo><m:mi>m</m:mi><m:mi>a</m:mi></m:math></item></list></note>
<note class="os-teacher"><title>Teacher Support</title><para><span>[BL]</span> Ask the class about forces. SECRET-TEACHER-1</para></note>
<section id="keyterms"><title>Section Key Terms</title><table><tgroup cols="2"><tbody><row><entry>net force</entry><entry>inertia</entry></row></tbody></tgroup></table></section>
<para>Intro paragraph about &#8220;forces&#8221;.   ${filler('intro', 2)}</para>
<section id="s1"><title>Pushing  and
 Pulling</title>
<note class="teacher-demonstration"><para>SECRET-TEACHER-2 demonstrate with a cart.</para></note>
<note class="os‐teacher"><para>SECRET-TEACHER-3 odd hyphen class.</para></note>
<para>A <term>force</term> is a push or a pull, as shown in <link target-id="fig-a"/>. The <term class="no-emphasis">mass</term> matters. ${filler('push')}</para>
<figure id="fig-a"><media alt="  A reef   with fish. "><image mime-type="image/jpg" src="../../media/Coral reef (a).jpg"/></media>
<caption>Force <m:math><m:msub><m:mi>F</m:mi><m:mtext>net</m:mtext></m:msub></m:math> on a reef.</caption></figure>
<para>We write it as</para>
<equation><m:math display="block"><m:msub><m:mi>F</m:mi><m:mtext>net</m:mtext></m:msub><m:mo>=</m:mo><m:mi>m</m:mi><m:mi>a</m:mi><m:mo>,</m:mo></m:math></equation>
<para>where m is mass. Speed in m/s<sup>2</sup> and water is H<sub>2</sub>O. ${filler('equation')}</para>
<figure id="fig-missing"><media alt="Missing file"><image mime-type="image/png" src="../../media/nope.png"/></media><caption/></figure>
<note class="worked-example"><title>Example</title><exercise id="ex1"><problem><para>SECRET-EXERCISE-1 compute it.</para></problem><solution><para>SECRET-SOLUTION-1</para></solution></exercise></note>
<example id="ex2"><para>SECRET-EXAMPLE-1 worked.</para></example>
</section>
<section class="coreq-skills"><title>Be Prepared</title><para>Coreq refresher. ${filler('coreq', 6)}</para></section>
<section class="section-summary"><title>Summary</title><para>Summary of forces. ${filler('summary')}</para>
<figure id="fig-b"><media alt="Plain"><image mime-type="image/png" src="../../media/plain.png"/></media></figure></section>
<section class="review-questions"><title>Review</title><para>SECRET-REVIEW-1 what is force?</para></section>
<section class="practice-problems"><para>SECRET-PRACTICE-1</para></section>
<section class="check-understanding"><para>SECRET-CHECK-1</para></section>
</content>
<glossary><definition><term>force</term><meaning>a push or pull</meaning></definition><definition><term>acceleration</term><meaning>rate</meaning></definition></glossary>
</document>`;
  const file = path.join(moduleDir, 'index.cnxml');
  writeFileSync(file, xml);
  return { file, xml, mediaDir };
}

describe('library: CNXML module parsing', () => {
  const { file, xml, mediaDir } = fixture();
  const m = parseCnxmlModule(xml, { file });
  const allText = m.passages.map((p) => `${p.heading} ${p.text}`).join('\n');

  it('reads id, title (entities decoded) and objectives (learning-objectives note first, MathML spoken)', () => {
    assert.equal(m.moduleId, 'm99999');
    assert.equal(m.title, 'Forces & Motion');
    assert.deepEqual(m.objectives, ['Describe forces', 'Use F equals m a']);
  });

  it('falls back to the abstract for objectives', () => {
    const noNote = parseCnxmlModule(xml.replace(/<note class="learning-objectives">[\s\S]*?<\/note>/, ''), { file });
    assert.deepEqual(noNote.objectives, ['Abstract objective']);
  });

  it('collects key terms from the key-terms table, <term> elements and the glossary, without duplicates', () => {
    assert.deepEqual(
      m.keyTerms.filter((t) => !t.coreqOnly).map((t) => t.term),
      ['net force', 'inertia', 'force', 'acceleration'],
    );
  });

  it('drops teacher notes, exercises, examples, review and practice sections entirely', () => {
    for (const secret of ['SECRET-TEACHER-1', 'SECRET-TEACHER-2', 'SECRET-TEACHER-3', '[BL]', 'Teacher Support', 'SECRET-EXERCISE-1', 'SECRET-SOLUTION-1', 'SECRET-EXAMPLE-1', 'SECRET-REVIEW-1', 'SECRET-PRACTICE-1', 'SECRET-CHECK-1', 'Section Key Terms']) {
      assert.ok(!allText.includes(secret), `${secret} leaked`);
    }
    assert.match(allText, /Summary of forces/, 'summary sections stay');
  });

  it('table: classification of elements as not exposition', () => {
    const doc = parseXml(
      `<r xmlns="http://cnx.rice.edu/cnxml">
        <note class="os-teacher"/><note class="teacher-demonstration"/><section class="review-questions"/><section class="practice-problems"/>
        <section class="check-understanding"/><exercise/><solution/><problem/><section class="section-exercises"/><note class="precalculus try"/>
        <section class="summary"/><section class="section-summary"/><section class="key-concepts"/><note class="everyday-life"/><section/>
      </r>`,
      't',
    );
    const els = Array.from({ length: doc.documentElement!.childNodes.length }, (_, i) => doc.documentElement!.childNodes[i]).filter((n) => n.nodeType === 1) as unknown as Parameters<typeof isDropped>[0][];
    assert.deepEqual(
      els.map((e) => isDropped(e)),
      [true, true, true, true, true, true, true, true, true, true, false, false, false, false, false],
    );
  });

  it('headings come from the nearest section title (whitespace normalised), else the module title', () => {
    assert.equal(m.passages[0].heading, 'Pushing and Pulling', 'the short intro joins the first section');
    assert.ok(m.passages.some((p) => p.heading === 'Summary'));
    assert.ok(m.passages.every((p) => !/\s{2}/.test(p.text) && p.text === p.text.trim()));
  });

  it('speaks MathML, sub/sup and empty cross-references inside the text', () => {
    assert.match(allText, /We write it as F sub net equals m a, where m is mass\./);
    assert.match(allText, /m\/s squared/);
    assert.match(allText, /H2O/);
    assert.match(allText, /as shown in the figure\./);
    assert.match(allText, /“forces”/);
  });

  it('passages are 60..220 words (roughly) and never end mid-sentence', () => {
    for (const p of m.passages) {
      assert.ok(countWords(p.text) <= 275, `${countWords(p.text)} words`);
      assert.match(p.text, /[.!?:;”’)]$/);
    }
  });

  it('flags corequisite-only material', () => {
    const coreq = m.passages.filter((p) => p.coreqOnly);
    assert.equal(coreq.length, 1);
    assert.match(coreq[0].text, /Coreq refresher/);
    assert.ok(m.passages.filter((p) => !p.coreqOnly).every((p) => !p.text.includes('Coreq refresher')));
  });

  it('keeps figures with alt text, caption (its math written as the screen shows it), normalised mime type and resolved path (spaces, parentheses)', () => {
    const a = m.figures.find((f) => f.xmlId === 'fig-a')!;
    assert.deepEqual(a, {
      xmlId: 'fig-a',
      alt: 'A reef with fish.',
      caption: 'Force Fₙₑₜ on a reef.',
      mimeType: 'image/jpeg',
      path: path.join(mediaDir, 'Coral reef (a).jpg'),
      coreqOnly: false,
    });
    assert.equal(m.figures.find((f) => f.xmlId === 'fig-missing')!.path, null);
    assert.equal(m.figures.find((f) => f.xmlId === 'fig-b')!.path, path.join(mediaDir, 'plain.png'));
  });

  it('links figures to the passages that reference them or sit next to them', () => {
    const withA = m.passages.find((p) => p.figureXmlIds.includes('fig-a'));
    assert.ok(withA && /push or a pull/.test(withA.text));
    const withB = m.passages.find((p) => p.figureXmlIds.includes('fig-b'));
    assert.ok(withB && /Summary of forces/.test(withB.text));
  });

  it('normalises mime types', () => {
    assert.equal(normalizeMimeType('image/jpg', 'a.jpg'), 'image/jpeg');
    assert.equal(normalizeMimeType('jpeg', 'a.jpg'), 'image/jpeg');
    assert.equal(normalizeMimeType(null, 'a.png'), 'image/png');
    assert.equal(normalizeMimeType('image/png', 'a.png'), 'image/png');
  });

  it('cuts exercises out before parsing but keeps their ids for cross-references', () => {
    const out = stripExercises('<a><!-- <exercise> --><exercise id="e1" class="x"><problem>p</problem></exercise><para/><exercise id="e2"/></a>');
    assert.equal(out, '<a><exercise id="e1" class="x"/><para/><exercise id="e2"/></a>');
  });

  it('reads a module file from disk', async () => {
    const fromDisk = await readCnxmlModule(file);
    assert.deepEqual(fromDisk, m);
  });
});

describe('library: CNXML module parsing of OpenStax Physics m54131 (Newton’s Third Law)', () => {
  let m: Awaited<ReturnType<typeof readCnxmlModule>>;
  before(async () => {
    m = await readCnxmlModule(path.join(requireOerDir('physics', 'modules', 'm54131'), 'index.cnxml'));
  });

  it('has its title, objectives and key terms', () => {
    assert.equal(m.title, "Newton's Third Law of Motion");
    assert.deepEqual(m.objectives, ['Describe Newton’s third law, both verbally and mathematically', 'Use Newton’s third law to solve problems']);
    for (const t of ['Newton’s third law of motion', 'normal force', 'tension', 'thrust']) assert.ok(m.keyTerms.some((k) => k.term === t), t);
  });

  it('contains no teacher-only content', () => {
    const text = m.passages.map((p) => `${p.heading}\n${p.text}`).join('\n');
    for (const marker of ['Teacher Support', '[BL]', '[OL]', '[AL]', 'Review Newton’s first and second laws', 'Demonstrate the concept of tension', 'NGSS']) {
      assert.ok(!text.includes(marker), `teacher content leaked: ${marker}`);
    }
    assert.match(text, /Newton’s third law of motion states that whenever a first object exerts a force on a second object/);
  });

  it('contains no exercises or test prep', () => {
    const text = m.passages.map((p) => p.text).join('\n');
    for (const marker of ['True or False', 'A fish pushes water backward with its fins', 'Rockets expel gas in the forward direction']) {
      assert.ok(!text.includes(marker), `exercise leaked: ${marker}`);
    }
  });

  it('speaks its math', () => {
    const text = m.passages.map((p) => p.text).join('\n');
    assert.match(text, /F sub wall on feet/);
    assert.match(text, /N equals m g/);
    assert.doesNotMatch(text, /[=−]/);
  });

  it('has figures with alt text, captions and existing image files', async () => {
    const { existsSync } = await import('node:fs');
    assert.ok(m.figures.length >= 3);
    for (const f of m.figures) {
      assert.ok(f.alt.length > 20, `${f.xmlId} alt text`);
      assert.ok(f.path && path.isAbsolute(f.path) && existsSync(f.path), `${f.xmlId} file ${f.path}`);
      assert.equal(f.mimeType, 'image/jpeg');
    }
    const swimmer = m.figures.find((f) => f.xmlId === 'Figure_04_04_swimmer')!;
    assert.match(swimmer.alt, /^A swimmer is underwater/);
    assert.match(swimmer.caption, /F sub feet on wall/);
    assert.ok(m.passages.some((p) => p.figureXmlIds.includes('Figure_04_04_swimmer')));
  });

  it('passages are sized for narration', () => {
    assert.ok(m.passages.length >= 5);
    for (const p of m.passages) {
      const w = countWords(p.text);
      assert.ok(w >= 60 && w <= 260, `${w} words: ${p.text.slice(0, 60)}`);
    }
  });
});
