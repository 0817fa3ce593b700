import assert from 'node:assert/strict';
import { createGeneration } from '../../functions/api/api.js';
import {
  describeTimeLeft,
  explainApiError,
  formatClock,
  LIMITS,
  lessonIdOf,
  lessonsOf,
  parseRecent,
  RECENT_MAX,
  rememberLesson,
  sentenceAt,
  STAGE_LABELS,
  validateAsk,
  VOICES,
  type RecentLesson,
} from '../../functions/api/student-page/lesson-logic.js';
import { GenerationRequestSchema, MAX_INTEREST_CHARS, MAX_QUESTION_CHARS, VOICES as API_VOICES } from '../../shared/domain/generation.js';
import { DELIVERED_STAGES } from '../../shared/domain/pipeline.js';
import { PipelineError } from '../../shared/errors.js';
import { createEmbeddedPorts } from '../../shared/runtime/create-embedded-ports.js';
import { testConfig } from '../helpers/embedded.js';

const ok = { question: 'Explain Newton\'s third law', grade: '10', interest: 'basketball', voice: 'female_professional' };

describe('student page: its rules', () => {
  it('uses the API\'s own limits and voices, and names every stage a client follows', () => {
    assert.equal(LIMITS.questionMax, MAX_QUESTION_CHARS);
    assert.equal(LIMITS.interestMax, MAX_INTEREST_CHARS);
    assert.deepEqual(VOICES.map((v) => v.id), [...API_VOICES]);
    assert.deepEqual(Object.keys(STAGE_LABELS), [...DELIVERED_STAGES]);
  });

  it('refuses before sending exactly what the API refuses with INVALID_REQUEST', async () => {
    const ports = createEmbeddedPorts(testConfig(), { logSink: () => {} });
    try {
      const cases = [
        ok,
        { ...ok, question: 'ab' },
        { ...ok, question: '   ab   ' },
        { ...ok, question: 'x'.repeat(MAX_QUESTION_CHARS + 1) },
        { ...ok, grade: '0' },
        { ...ok, grade: '13' },
        { ...ok, grade: '7.5' },
        { ...ok, interest: 'y'.repeat(MAX_INTEREST_CHARS + 1) },
        { ...ok, voice: 'robot' },
      ];
      for (const c of cases) {
        const body = { question: c.question, grade: Number(c.grade), interest: c.interest, voice: c.voice };
        const api = GenerationRequestSchema.safeParse(body);
        const page = validateAsk(c);
        assert.equal(page.length === 0, api.success, `${JSON.stringify(c).slice(0, 80)}: page ${JSON.stringify(page)}, API ${api.success}`);
        if (!api.success) {
          // The API answers 400 INVALID_REQUEST naming the same field.
          const err = await createGeneration(body, 'anonymous', ports).catch((e: PipelineError) => e);
          assert.ok(err instanceof PipelineError && err.code === 'INVALID_REQUEST');
          const fields = (err.toJSON().details as { field: string }[]).map((d) => d.field);
          assert.ok(page.every((p) => fields.includes(p.field)), `${fields} vs ${page.map((p) => p.field)}`);
        }
      }
    } finally {
      await ports.close();
    }
  });

  it('shows each API error code where the student can act on it', () => {
    const invalid = explainApiError({ code: 'INVALID_REQUEST', message: 'invalid generation request', details: [{ field: 'grade', message: 'too big' }] }, 400);
    assert.deepEqual(invalid.problems, [{ field: 'grade', message: 'Too big.' }]);
    assert.deepEqual(explainApiError({ code: 'UNAUTHORIZED', message: 'send a key' }, 401).problems.map((p) => p.field), ['key']);
    assert.deepEqual(explainApiError({ code: 'PAYLOAD_TOO_LARGE', message: '' }, 413).problems.map((p) => p.field), ['question']);
    assert.match(explainApiError({ code: 'UNAVAILABLE', message: '' }, 503).message, /try again/);
    assert.match(explainApiError({ code: 'NOT_FOUND', message: '' }, 404).message, /could not find that lesson/);
    assert.match(explainApiError({ code: 'INTERNAL', message: 'internal error' }, 500).message, /our side/);
  });

  it('says the time left without false precision, and admits when it does not know', () => {
    assert.equal(describeTimeLeft({ seconds: 42, overdue: false }, 0), 'About 45 s left');
    assert.equal(describeTimeLeft({ seconds: 42, overdue: false }, 10), 'About 35 s left');
    assert.equal(describeTimeLeft({ seconds: 150, overdue: false }, 0), 'About 3 min left');
    assert.equal(describeTimeLeft({ seconds: 3, overdue: false }, 0), 'A few seconds left');
    assert.equal(describeTimeLeft({ seconds: 10, overdue: false }, 12), 'Taking a little longer than usual…');
    assert.equal(describeTimeLeft({ seconds: 10, overdue: true }, 0), 'Taking a little longer than usual…');
    assert.equal(describeTimeLeft({ seconds: null, overdue: false }, 0), 'Estimating the time left…');
    assert.equal(describeTimeLeft(null, 0), '');
  });

  it('finds the sentence being spoken', () => {
    const s = [
      { start: 0, end: 2 },
      { start: 2.5, end: 5 },
      { start: 5, end: 9 },
    ];
    assert.equal(sentenceAt(s, -1), -1);
    assert.equal(sentenceAt(s, 0), 0);
    assert.equal(sentenceAt(s, 2.2), 0, 'between two sentences the one before stays');
    assert.equal(sentenceAt(s, 2.5), 1);
    assert.equal(sentenceAt(s, 5), 2);
    assert.equal(sentenceAt(s, 100), 2);
    assert.equal(sentenceAt([], 3), -1);
    assert.equal(formatClock(75.9), '1:15');
    assert.equal(formatClock(3725), '1:02:05');
  });

  it('keeps recent lessons newest first, one entry per lesson, per owner, and survives a tampered store', () => {
    const at = (i: number): RecentLesson => ({ id: `gen_${String(i).padStart(10, '0')}`, question: `q${i}`, status: 'requested', createdAt: `2030-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`, owner: i % 2 ? 'key_a' : 'key_b' });
    let list: RecentLesson[] = [];
    for (let i = 0; i < RECENT_MAX + 5; i++) list = rememberLesson(list, at(i));
    assert.equal(list.length, RECENT_MAX);
    assert.equal(list[0].id, at(RECENT_MAX + 4).id);
    list = rememberLesson(list, { ...at(10), status: 'completed', title: 'Forces' });
    assert.equal(list[0].title, 'Forces');
    assert.equal(list.filter((l) => l.id === at(10).id).length, 1);
    list = rememberLesson(list, { ...at(10), status: 'completed' });
    assert.equal(list[0].title, 'Forces', 'a later update without the title keeps it');
    assert.ok(lessonsOf(list, 'key_a').every((l) => l.owner === 'key_a'));
    assert.deepEqual(parseRecent(JSON.stringify(list)), list);
    assert.deepEqual(parseRecent('not json'), []);
    assert.deepEqual(parseRecent(JSON.stringify([{ id: '../../x', question: 'q', status: 's', createdAt: 'c', owner: 'o' }, 3, null])), []);
    assert.equal(lessonIdOf('#/lesson/gen_0123456789abcdef'), 'gen_0123456789abcdef');
    assert.equal(lessonIdOf('#/lesson/gen_x"><img>'), null);
  });
});
