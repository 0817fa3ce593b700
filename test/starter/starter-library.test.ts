import assert from 'node:assert/strict';
import { BookSchema, PassageSchema, SUBJECTS, TopicSchema, type LibraryBundle } from '../../shared/domain/library.js';
import { STARTER_LIBRARY, starterBundle } from '../../shared/library/starter/index.js';
import { countWords, splitSentences } from '../../shared/text/sentences.js';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function passagesOf(bundle: LibraryBundle, topicId: string) {
  return bundle.passages.filter((p) => p.topicId === topicId);
}

describe('starter library', () => {
  it('has one book per subject, covering all six subjects', () => {
    assert.equal(STARTER_LIBRARY.length, SUBJECTS.length);
    assert.deepEqual(STARTER_LIBRARY.map((b) => b.book.subject).sort(), [...SUBJECTS].sort());
    for (const subject of SUBJECTS) assert.equal(starterBundle(subject).book.subject, subject);
  });

  it('has ids that are unique across the whole library', () => {
    const ids = STARTER_LIBRARY.flatMap((b) => [b.book.id, ...b.topics.map((t) => t.id), ...b.passages.map((p) => p.id), ...b.figures.map((f) => f.id)]);
    assert.equal(new Set(ids).size, ids.length);
  });

  for (const bundle of STARTER_LIBRARY) {
    const { book } = bundle;
    describe(book.id, () => {
      it('has a valid book with the starter metadata', () => {
        assert.doesNotThrow(() => BookSchema.parse(book));
        assert.equal(book.id, `vividly-starter-${book.subject}`);
        assert.match(book.title, /^Vividly Starter Library: [A-Z][a-z]+$/);
        assert.equal(book.publisher, 'Vividly');
        assert.equal(book.license, 'CC BY 4.0');
        assert.equal(book.licenseUrl, 'https://creativecommons.org/licenses/by/4.0/');
        assert.equal(book.url, 'https://github.com/vividly/vividly/tree/main/shared/library/starter');
        assert.deepEqual(bundle.figures, []);
      });

      it('has at least three well-formed topics', () => {
        assert.ok(bundle.topics.length >= 3, `${bundle.topics.length} topics`);
        assert.deepEqual(
          bundle.topics.map((t) => t.ordinal),
          bundle.topics.map((_, i) => i),
        );
        for (const topic of bundle.topics) {
          assert.doesNotThrow(() => TopicSchema.parse(topic), topic.id);
          assert.equal(topic.bookId, book.id);
          assert.equal(topic.subject, book.subject);
          assert.equal(topic.moduleId, null);
          assert.ok(topic.id.startsWith(`${book.id}/`), topic.id);
          assert.match(topic.id.slice(book.id.length + 1), SLUG);
          assert.ok(topic.title.trim() && topic.chapter.trim(), topic.id);
          assert.ok(topic.objectives.length >= 2 && topic.objectives.length <= 4, `${topic.id} objectives`);
          assert.ok(topic.keyTerms.length >= 3 && topic.keyTerms.length <= 6, `${topic.id} key terms`);
          assert.equal(new Set(topic.keyTerms.map((k) => k.toLowerCase())).size, topic.keyTerms.length, `${topic.id} duplicate key term`);
        }
      });

      it('has 5 to 8 passages of 70 to 160 words per topic, with well-formed ids', () => {
        const topicIds = new Set(bundle.topics.map((t) => t.id));
        for (const p of bundle.passages) assert.ok(topicIds.has(p.topicId), `${p.id} belongs to no topic`);
        for (const topic of bundle.topics) {
          const passages = passagesOf(bundle, topic.id);
          assert.ok(passages.length >= 5 && passages.length <= 8, `${topic.id}: ${passages.length} passages`);
          passages.forEach((p, i) => {
            assert.doesNotThrow(() => PassageSchema.parse(p), p.id);
            assert.equal(p.id, `${topic.id}#p${i + 1}`);
            assert.equal(p.ordinal, i);
            assert.ok(p.heading.trim().length > 0, `${p.id} heading`);
            assert.deepEqual(p.figureIds, []);
            const words = countWords(p.text);
            assert.ok(words >= 70 && words <= 160, `${p.id}: ${words} words`);
          });
        }
      });

      it('has narratable text: plain sentences, no markup, symbols or figure references', () => {
        for (const p of bundle.passages) {
          assert.doesNotMatch(p.text, /[<>{}[\]\\=^*+/|~`$#@%_"]/, `${p.id} has a symbol that cannot be narrated`);
          assert.doesNotMatch(p.text, /[\u0000-\u001f\u007f]/, `${p.id} has a control character`);
          assert.doesNotMatch(p.text, /\b(?:figure|table|exercise)\s*\d/i, `${p.id} refers to a figure`);
          assert.doesNotMatch(p.text, /\b(?:e\.g|i\.e|etc|vs|Dr|Mr|Mrs|Jr|St|U\.S)\./, `${p.id} has an abbreviation that breaks sentences`);
          for (const s of splitSentences(p.text)) {
            // Every sentence starts with a capital or a digit, so none was cut at an abbreviation.
            assert.match(s, /^[A-Z0-9]/, `${p.id}: "${s}"`);
            assert.match(s, /[.?!]$/, `${p.id}: "${s}"`);
            assert.doesNotMatch(s, /:$/, `${p.id}: "${s}"`);
            assert.ok(countWords(s) <= 35, `${p.id}: sentence of ${countWords(s)} words is too long for narration`);
          }
        }
      });
    });
  }
});
