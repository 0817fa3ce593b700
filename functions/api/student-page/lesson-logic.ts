/**
 * The student page's rules that need no DOM: the request's validation (the API's own limits and
 * codes), the messages for the API's error codes, stage names, time formatting, the sentence
 * being spoken, and the recent-lessons list. Bundled into the page; tested under Node.
 */

/** The API's limits (shared/domain/generation.ts), repeated here so the page can say so before sending. */
export const LIMITS = { questionMin: 3, questionMax: 500, interestMax: 60, gradeMin: 1, gradeMax: 12 } as const;
export const VOICES = [
  { id: 'female_professional', label: 'Calm, female voice' },
  { id: 'male_professional', label: 'Calm, male voice' },
  { id: 'male_energetic', label: 'Lively, male voice' },
] as const;

export interface AskInput {
  question: string;
  grade: string;
  interest: string;
  voice: string;
}

export interface FieldProblem {
  field: 'question' | 'grade' | 'interest' | 'voice' | 'key';
  message: string;
}

/** What the API would refuse with INVALID_REQUEST, found before sending, with the same limits. */
export function validateAsk(input: AskInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const q = input.question.trim();
  if (q.length < LIMITS.questionMin) problems.push({ field: 'question', message: `Write your question (at least ${LIMITS.questionMin} characters).` });
  else if (q.length > LIMITS.questionMax) problems.push({ field: 'question', message: `Keep your question under ${LIMITS.questionMax + 1} characters (it has ${q.length}).` });
  const grade = Number(input.grade);
  if (!Number.isInteger(grade) || grade < LIMITS.gradeMin || grade > LIMITS.gradeMax) problems.push({ field: 'grade', message: `Choose a grade from ${LIMITS.gradeMin} to ${LIMITS.gradeMax}.` });
  if (input.interest.trim().length > LIMITS.interestMax) problems.push({ field: 'interest', message: `Keep your interest under ${LIMITS.interestMax + 1} characters.` });
  if (!VOICES.some((v) => v.id === input.voice)) problems.push({ field: 'voice', message: 'Choose one of the voices.' });
  return problems;
}

export interface ApiError {
  code: string;
  message: string;
  details?: unknown;
}

/**
 * Where and how the page shows an API error: against a field (INVALID_REQUEST's details name the
 * field), against the key, or as a message for the whole form.
 */
export function explainApiError(error: ApiError, httpStatus: number): { problems: FieldProblem[]; message: string } {
  switch (error.code) {
    case 'INVALID_REQUEST': {
      const details = Array.isArray(error.details) ? (error.details as { field?: string; message?: string }[]) : [];
      const known = new Set(['question', 'grade', 'interest', 'voice']);
      const problems = details.filter((d) => d.field && known.has(d.field)).map((d) => ({ field: d.field as FieldProblem['field'], message: sentence(d.message ?? 'Check this field.') }));
      return { problems, message: problems.length ? 'Please fix the highlighted fields.' : sentence(error.message) };
    }
    case 'INVALID_JSON':
      return { problems: [], message: 'The page sent something the server could not read. Reload the page and try again.' };
    case 'PAYLOAD_TOO_LARGE':
      return { problems: [{ field: 'question', message: 'Your question is too long to send.' }], message: 'Please shorten your question.' };
    case 'UNAUTHORIZED':
      return { problems: [{ field: 'key', message: 'This server needs a valid API key. Check the key and try again.' }], message: 'The API key was not accepted.' };
    case 'NOT_FOUND':
      return { problems: [], message: 'We could not find that lesson. It may have expired; ask your question again.' };
    case 'UNAVAILABLE':
      return { problems: [], message: 'The lesson maker is busy right now. Please try again in a moment.' };
    default:
      return { problems: [], message: httpStatus >= 500 ? 'Something went wrong on our side. Please try again in a moment.' : sentence(error.message || 'The request was not accepted.') };
  }
}

/** The stages a student sees, in order, with what each one does. */
export const STAGE_LABELS: Record<string, string> = {
  understand: 'Understanding your question',
  retrieve: 'Finding textbook passages',
  write: 'Writing the lesson',
  narrate: 'Recording the narration',
  render: 'Making the video',
  publish: 'Publishing',
};

export const STATE_LABELS: Record<string, string> = {
  pending: 'Waiting',
  running: 'Working',
  done: 'Done',
  skipped: 'Not needed',
  failed: 'Stopped',
};

/** "about 40 s", "about 2 min": rounded so the figure does not pretend to be precise. */
export function formatTimeLeft(seconds: number): string {
  if (seconds < 5) return 'a few seconds';
  if (seconds < 60) return `about ${Math.ceil(seconds / 5) * 5} s`;
  const minutes = Math.round(seconds / 60);
  return `about ${minutes} min`;
}

export interface TimeLeftView {
  seconds: number | null;
  overdue: boolean;
}

/** The sentence shown under the progress bar, `elapsed` seconds after the estimate came. */
export function describeTimeLeft(t: TimeLeftView | null, elapsed: number): string {
  if (!t) return '';
  if (t.seconds === null) return 'Estimating the time left…';
  const left = t.seconds - elapsed;
  if (t.overdue || left <= 0) return 'Taking a little longer than usual…';
  return `${capitalise(formatTimeLeft(left))} left`;
}

/** `m:ss` (or `h:mm:ss`) for a position in the video. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export interface TimedText {
  start: number;
  end: number;
}

/**
 * The index of the sentence spoken at `time` (seconds): the last one started by then, or -1
 * before the first. Between two sentences the one before stays current. Binary search.
 */
export function sentenceAt(sentences: readonly TimedText[], time: number): number {
  let lo = 0;
  let hi = sentences.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sentences[mid].start <= time) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** A lesson the student made, as the browser keeps it. */
export interface RecentLesson {
  id: string;
  question: string;
  title?: string;
  status: string;
  createdAt: string;
  /** Whose it is: a digest of the API key it was made with, or `open` when the server needs none. */
  owner: string;
}

export const RECENT_MAX = 20;

/** The list with `lesson` first (replacing its older entry), at most RECENT_MAX long. */
export function rememberLesson(list: readonly RecentLesson[], lesson: RecentLesson): RecentLesson[] {
  const old = list.find((l) => l.id === lesson.id);
  const title = lesson.title ?? old?.title;
  const merged: RecentLesson = { ...old, ...lesson };
  if (title) merged.title = title;
  else delete merged.title;
  return [merged, ...list.filter((l) => l.id !== lesson.id)].slice(0, RECENT_MAX);
}

/** The entries of `owner` only (with API keys, one key's lessons are not shown to another). */
export function lessonsOf(list: readonly RecentLesson[], owner: string): RecentLesson[] {
  return list.filter((l) => l.owner === owner);
}

/** Reads a stored list defensively: anything malformed is dropped. */
export function parseRecent(text: string | null): RecentLesson[] {
  if (!text) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value
    .filter(
      (l): l is RecentLesson =>
        !!l && typeof l === 'object' && typeof l.id === 'string' && /^gen_[A-Za-z0-9_-]{8,64}$/.test(l.id) && typeof l.question === 'string' && typeof l.status === 'string' && typeof l.createdAt === 'string' && typeof l.owner === 'string',
    )
    .slice(0, RECENT_MAX);
}

/** A generation id from the page's address (`#/lesson/gen_...`), or null. */
export function lessonIdOf(hash: string): string | null {
  const m = /^#\/lesson\/(gen_[A-Za-z0-9_-]{8,64})$/.exec(hash);
  return m ? m[1] : null;
}

function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  return capitalise(t) + (/[.!?…]$/.test(t) ? '' : '.');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
