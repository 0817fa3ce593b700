import assert from 'node:assert/strict';
import path from 'node:path';
import { parseCollectionXml, readOpenStaxBookFolder, subjectForBook } from '../../shared/library/read-openstax-collection.js';
import type { ParsedModule } from '../../shared/library/parse-cnxml-module.js';
import { requireOerDir } from './oer.js';

describe('library: OpenStax collections', () => {
  it('table: subject from slug and title keywords', () => {
    const cases: [string, string, string][] = [
      ['physics', 'Physics', 'physics'],
      ['chemistry-2e', 'Chemistry 2e', 'chemistry'],
      ['chemistry-atoms-first-2e', 'Chemistry: Atoms First 2e', 'chemistry'],
      ['algebra-and-trigonometry-2e', 'Algebra and Trigonometry 2e', 'math'],
      ['college-algebra-2e', 'College Algebra 2e', 'math'],
      ['precalculus-2e', 'Precalculus 2e', 'math'],
      ['us-history', 'U.S. History', 'history'],
      ['biology-2e', 'Biology 2e', 'biology'],
    ];
    for (const [slug, title, subject] of cases) assert.equal(subjectForBook(slug, title), subject, slug);
    assert.throws(() => subjectForBook('introduction-to-sociology-3e', 'Introduction to Sociology 3e'), /cannot tell the subject.*sociology/i);
  });

  it('parses title, slug and chapter order; modules outside chapters have no chapter', () => {
    const info = parseCollectionXml(
      `<col:collection xmlns="http://cnx.rice.edu/collxml" xmlns:md="http://cnx.rice.edu/mdml" xmlns:col="http://cnx.rice.edu/collxml">
        <metadata><md:title>Physics</md:title><md:slug>physics</md:slug></metadata>
        <col:content>
          <col:module document="m1"/>
          <col:subcollection><md:title>Motion &amp; Forces</md:title><col:content><col:module document="m2"/><col:module document="m3"/></col:content></col:subcollection>
          <col:subcollection><md:title>Unit 2</md:title><col:content>
            <col:subcollection><md:title>Energy</md:title><col:content><col:module document="m4"/></col:content></col:subcollection>
          </col:content></col:subcollection>
          <col:module document="m5"/>
        </col:content>
      </col:collection>`,
      'x.collection.xml',
    );
    assert.equal(info.title, 'Physics');
    assert.equal(info.slug, 'physics');
    assert.deepEqual(info.entries, [
      { moduleId: 'm1', chapter: null },
      { moduleId: 'm2', chapter: 'Motion & Forces' },
      { moduleId: 'm3', chapter: 'Motion & Forces' },
      { moduleId: 'm4', chapter: 'Energy' },
      { moduleId: 'm5', chapter: null },
    ]);
  });

  describe('against the OpenStax books @slow', () => {
    let physicsDir: string;
    let algebraDir: string;
    before(() => {
      physicsDir = requireOerDir('physics');
      algebraDir = requireOerDir('algebra');
    });

    it('physics: one bundle with deterministic ids, attribution, no preface', async () => {
      const { bundles, skipped } = await readOpenStaxBookFolder(physicsDir);
      assert.deepEqual(skipped, []);
      assert.equal(bundles.length, 1);
      const { book, topics, passages, figures } = bundles[0];
      assert.deepEqual(book, {
        id: 'physics',
        title: 'Physics',
        subject: 'physics',
        publisher: 'OpenStax',
        license: 'CC BY 4.0',
        licenseUrl: 'https://creativecommons.org/licenses/by/4.0/',
        url: 'https://openstax.org/details/books/physics',
      });
      assert.ok(!topics.some((t) => t.moduleId === 'm54081'), 'the preface (outside any chapter) is not a topic');
      const third = topics.find((t) => t.moduleId === 'm54131')!;
      assert.equal(third.id, 'physics/m54131');
      assert.equal(third.chapter, 'Forces and Newton’s Laws of Motion');
      assert.equal(third.subject, 'physics');
      assert.deepEqual(
        topics.map((t) => t.ordinal),
        topics.map((_, i) => i),
      );
      const mine = passages.filter((p) => p.topicId === third.id);
      assert.deepEqual(
        mine.map((p) => p.id),
        mine.map((_, i) => `physics/m54131#p${i}`),
      );
      assert.ok(figures.some((f) => f.id === 'physics/m54131#Figure_04_04_swimmer'));
      const figureIds = new Set(figures.map((f) => f.id));
      for (const p of passages) for (const f of p.figureIds) assert.ok(figureIds.has(f), `${p.id} -> ${f}`);
      assert.ok(figures.every((f) => f.path !== null), 'physics ships its media');

      const again = await readOpenStaxBookFolder(physicsDir);
      assert.deepEqual(again.bundles, bundles, 'reading twice gives identical bundles');
    });

    it('algebra: four books sharing modules, each module parsed once; corequisite material only in the corequisite book', async () => {
      const cache = new Map<string, Promise<ParsedModule>>();
      const { bundles } = await readOpenStaxBookFolder(algebraDir, { cache });
      assert.deepEqual(bundles.map((b) => b.book.id).sort(), [
        'algebra-and-trigonometry-2e',
        'college-algebra-2e',
        'college-algebra-corequisite-support-2e',
        'precalculus-2e',
      ]);
      const referenced = new Set(bundles.flatMap((b) => b.topics.map((t) => t.moduleId)));
      assert.equal(cache.size, referenced.size, 'one parse per module file');
      assert.ok([...cache.keys()].every((k) => k.startsWith(path.join(algebraDir, 'modules'))));
      const byBook = new Map(bundles.map((b) => [b.book.id, b]));
      const passagesOf = (book: string, moduleId: string) => byBook.get(book)!.passages.filter((p) => p.topicId === `${book}/${moduleId}`);
      const plain = passagesOf('college-algebra-2e', 'm51253');
      const coreq = passagesOf('college-algebra-corequisite-support-2e', 'm51253');
      assert.ok(coreq.length > plain.length, 'the corequisite edition has the extra skills review');
      assert.ok(!plain.some((p) => /order of operations/i.test(p.heading)));
      assert.ok(coreq.some((p) => /order of operations/i.test(p.heading)));
    });
  });
});
