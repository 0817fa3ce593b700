/// <reference lib="dom" />
/**
 * The student page (served at `/`): ask, follow the lesson being made, play and read it.
 * Plain DOM, every value written as text (never as HTML), same-origin requests only.
 */
import { followEvents, type StreamEvent } from './event-stream.js';
import {
  describeTimeLeft,
  explainApiError,
  formatBytes,
  formatClock,
  lessonIdOf,
  lessonsOf,
  parseRecent,
  rememberLesson,
  sentenceAt,
  STAGE_LABELS,
  STATE_LABELS,
  validateAsk,
  VOICES,
  type ApiError,
  type FieldProblem,
  type RecentLesson,
  type TimeLeftView,
} from './lesson-logic.js';

interface Alternative {
  id: string;
  title: string;
  book: string;
}
interface StageView {
  state: string;
  progress: number;
  attempts: number;
}
interface Attribution {
  book: string;
  publisher: string;
  license: string;
  licenseUrl: string;
  url: string;
}
interface Result {
  video: { url: string; durationSeconds: number; sizeBytes: number };
  captions: { url: string };
  chapters: { url: string } | null;
  poster: { url: string };
  script: { title: string; hook: string };
  transcript?: { start: number; end: number; text: string }[];
  attribution: Attribution[];
}
interface AskRequest {
  question: string;
  grade: number;
  interest: string;
  voice: string;
  topicId?: string;
}
interface View {
  id: string;
  status: string;
  progress: number;
  createdAt: string;
  request: AskRequest;
  stages: Record<string, StageView>;
  cacheHit: boolean;
  result: Result | null;
  error: { stage: string; code: string; message: string; details?: { alternatives?: Alternative[] } } | null;
  timeLeft?: TimeLeftView | null;
}

const RECENT_KEY = 'vividly.recent.v1';
const KEY_KEY = 'vividly.apiKey';
const el = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

const page = {
  keysRequired: document.body.dataset.keys === 'required',
  stream: undefined as { close(): void } | undefined,
  /** The generation on screen. */
  current: undefined as string | undefined,
  /** Per stage: the highest progress seen for its current attempt (two overlapping runs may report out of order). */
  seen: new Map<string, { attempts: number; progress: number; state: string }>(),
  eta: undefined as { value: TimeLeftView | null; at: number } | undefined,
  etaTimer: undefined as number | undefined,
  /** Marks for the submit-to-screen timings (performance.mark). */
  waitingFirstEvent: false,
  waitingPlayable: false,
  transcriptCleanup: undefined as (() => void) | undefined,
};

function init(): void {
  buildVoices();
  if (page.keysRequired) {
    el('key-field').hidden = false;
    el<HTMLInputElement>('api-key').value = sessionStorage.getItem(KEY_KEY) ?? '';
  }
  el<HTMLFormElement>('ask-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void onSubmit();
  });
  for (const id of ['ask-again', 'failed-ask', 'lesson-ask']) el(id).addEventListener('click', () => goHome(true));
  el('recent-clear').addEventListener('click', () => {
    localStorage.removeItem(RECENT_KEY);
    void renderRecent();
  });
  buildStages();
  window.addEventListener('hashchange', () => void route());
  void renderRecent();
  void route();
}

function buildVoices(): void {
  const box = el('voice-options');
  VOICES.forEach((v, i) => {
    const label = document.createElement('label');
    label.className = 'choice';
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'voice';
    input.value = v.id;
    input.checked = i === 0;
    label.append(input, document.createTextNode(v.label));
    box.append(label);
  });
}

function buildStages(): void {
  const list = el('stages');
  for (const [stage, label] of Object.entries(STAGE_LABELS)) {
    const li = document.createElement('li');
    li.className = 'stage';
    li.dataset.stage = stage;
    li.dataset.state = 'pending';
    const dot = document.createElement('span');
    dot.className = 'dot';
    dot.setAttribute('aria-hidden', 'true');
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = label;
    const state = document.createElement('span');
    state.className = 'state';
    state.textContent = STATE_LABELS.pending;
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.setAttribute('aria-hidden', 'true');
    const fill = document.createElement('span');
    fill.className = 'fill';
    bar.append(fill);
    li.append(dot, name, state, bar);
    list.append(li);
  }
}

// ---------------------------------------------------------------- asking

function readForm() {
  return {
    question: el<HTMLTextAreaElement>('question').value,
    grade: el<HTMLSelectElement>('grade').value,
    interest: el<HTMLInputElement>('interest').value,
    voice: (document.querySelector('input[name=voice]:checked') as HTMLInputElement | null)?.value ?? '',
  };
}

function apiKey(): string {
  return page.keysRequired ? el<HTMLInputElement>('api-key').value.trim() : '';
}

function authHeaders(): Record<string, string> {
  const key = apiKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}

async function onSubmit(): Promise<void> {
  clearProblems();
  const input = readForm();
  const problems = validateAsk(input);
  if (page.keysRequired && !apiKey()) problems.push({ field: 'key', message: 'Enter the API key this server gave you.' });
  if (problems.length) {
    showProblems(problems, 'INVALID_REQUEST', 'Please fix the highlighted fields.');
    return;
  }
  if (page.keysRequired) sessionStorage.setItem(KEY_KEY, apiKey());
  await submit({ question: input.question.trim(), grade: Number(input.grade), interest: input.interest.trim(), voice: input.voice });
}

async function submit(body: AskRequest): Promise<void> {
  performance.clearMarks();
  performance.mark('vividly:submit');
  page.waitingFirstEvent = true;
  page.waitingPlayable = true;
  const button = el<HTMLButtonElement>('submit');
  button.disabled = true;
  setFormMessage('', '');
  let res: Response;
  let json: { id?: string; status?: string; error?: ApiError };
  try {
    res = await fetch('/v1/generations', { method: 'POST', headers: { 'content-type': 'application/json', ...authHeaders() }, body: JSON.stringify(body) });
    json = await res.json().catch(() => ({}));
  } catch {
    button.disabled = false;
    setFormMessage('The server could not be reached. Check your connection and try again.', 'NETWORK');
    return;
  } finally {
    button.disabled = false;
  }
  if (res.status === 200 && json.status === 'completed') {
    // Answered before: the finished lesson, at once.
    const view = json as unknown as View;
    performance.mark('vividly:first-event');
    page.waitingFirstEvent = false;
    await remember(view);
    openLesson(view.id);
    handleView(view);
    return;
  }
  if (res.status === 202 && json.id) {
    await remember({ id: json.id, status: 'requested', createdAt: new Date().toISOString(), request: body } as View);
    openLesson(json.id);
    follow(json.id, body.question);
    return;
  }
  const error = json.error ?? { code: 'HTTP_' + res.status, message: `the server answered ${res.status}` };
  if (error.code === 'TOPIC_NOT_COVERED') {
    const details = error.details as { alternatives?: Alternative[] } | undefined;
    showNotCovered(body, details?.alternatives ?? []);
    return;
  }
  const explained = explainApiError(error, res.status);
  showProblems(explained.problems, error.code, explained.message);
}

function clearProblems(): void {
  for (const field of ['question', 'grade', 'interest', 'voice', 'key']) {
    const error = el(`${field}-error`);
    error.hidden = true;
    error.textContent = '';
    error.dataset.code = '';
    const input = field === 'voice' ? null : el(field === 'key' ? 'api-key' : field);
    input?.removeAttribute('aria-invalid');
  }
  setFormMessage('', '');
}

function showProblems(problems: FieldProblem[], code: string, message: string): void {
  showOnly('ask');
  for (const p of problems) {
    const error = el(`${p.field}-error`);
    error.textContent = p.message;
    error.dataset.code = code;
    error.hidden = false;
    if (p.field !== 'voice') el(p.field === 'key' ? 'api-key' : p.field).setAttribute('aria-invalid', 'true');
  }
  setFormMessage(message, code);
  const first = problems[0];
  if (first) (first.field === 'voice' ? (document.querySelector('input[name=voice]') as HTMLElement) : el(first.field === 'key' ? 'api-key' : first.field)).focus();
}

function setFormMessage(text: string, code: string): void {
  const m = el('form-message');
  m.textContent = text;
  m.dataset.code = code;
}

// ---------------------------------------------------------------- following

function openLesson(id: string): void {
  page.current = id;
  if (lessonIdOf(location.hash) !== id) history.pushState(null, '', `#/lesson/${id}`);
}

function goHome(focus: boolean): void {
  stopFollowing();
  page.current = undefined;
  if (location.hash) history.pushState(null, '', location.pathname);
  showOnly('ask');
  if (focus) el('question').focus();
}

async function route(): Promise<void> {
  const id = lessonIdOf(location.hash);
  if (!id) {
    if (page.current) goHome(false);
    else showOnly('ask');
    return;
  }
  if (id === page.current) return;
  page.current = id;
  stopFollowing();
  const res = await fetch(`/v1/generations/${id}`, { headers: authHeaders(), cache: 'no-store' }).catch(() => null);
  if (!res || !res.ok) {
    const body = (await res?.json().catch(() => null)) as { error?: ApiError } | null;
    const explained = explainApiError(body?.error ?? { code: 'NOT_FOUND', message: '' }, res?.status ?? 0);
    page.current = undefined;
    showProblems(explained.problems, body?.error?.code ?? 'NETWORK', explained.message);
    return;
  }
  const view = (await res.json()) as View;
  handleView(view);
  if (view.status !== 'completed' && view.status !== 'failed') follow(id, view.request.question);
}

function follow(id: string, question: string): void {
  stopFollowing();
  page.seen.clear();
  el('progress-question').textContent = `“${question}”`;
  renderProgress(null);
  showOnly('progress');
  el('progress-title').focus();
  page.stream = followEvents(`/v1/generations/${encodeURIComponent(id)}/events`, {
    headers: authHeaders(),
    isTerminal: (e: StreamEvent) => e.event === 'completed' || e.event === 'failed',
    onEvent: (e) => {
      if (page.current !== id) return;
      if (page.waitingFirstEvent) {
        performance.mark('vividly:first-event');
        page.waitingFirstEvent = false;
      }
      handleView(e.data as View);
    },
    onState: (s) => {
      el('connection').textContent = s === 'reconnecting' ? 'Connection lost: reconnecting…' : '';
    },
    onHttpError: (status, body) => {
      if (page.current !== id) return;
      const error = (body as { error?: ApiError } | null)?.error ?? { code: status ? `HTTP_${status}` : 'NETWORK', message: status ? `the server answered ${status}` : 'the connection keeps failing' };
      const explained = explainApiError(error, status);
      showProblems(explained.problems, error.code, explained.message);
    },
  });
}

function stopFollowing(): void {
  page.stream?.close();
  page.stream = undefined;
  if (page.etaTimer) clearInterval(page.etaTimer);
  page.etaTimer = undefined;
}

function handleView(v: View): void {
  void remember(v);
  if (v.status === 'completed' && v.result) {
    stopFollowing();
    showLesson(v);
  } else if (v.status === 'failed') {
    stopFollowing();
    if (v.error?.code === 'TOPIC_NOT_COVERED') showNotCovered(v.request, v.error.details?.alternatives ?? []);
    else showFailed(v);
  } else {
    if (document.getElementById('progress')!.hidden) showOnly('progress');
    renderProgress(v);
  }
}

function renderProgress(v: View | null): void {
  const overall = Math.round((v?.progress ?? 0) * 100);
  const bar = el('overall-bar');
  (bar.firstElementChild as HTMLElement).style.width = `${overall}%`;
  bar.setAttribute('aria-valuenow', String(overall));
  el('overall-percent').textContent = `${overall}%`;
  let running = '';
  for (const li of Array.from(el('stages').children) as HTMLElement[]) {
    const stage = li.dataset.stage!;
    const s = v?.stages[stage] ?? { state: 'pending', progress: 0, attempts: 0 };
    const before = page.seen.get(stage);
    const progress = before && before.attempts === s.attempts && s.state === before.state ? Math.max(before.progress, s.progress) : s.progress;
    page.seen.set(stage, { attempts: s.attempts, progress, state: s.state });
    const changed = li.dataset.state !== s.state;
    li.dataset.state = s.state;
    const pct = s.state === 'done' || s.state === 'skipped' ? 100 : Math.round(progress * 100);
    (li.querySelector('.fill') as HTMLElement).style.width = `${pct}%`;
    let label = STATE_LABELS[s.state] ?? s.state;
    if (s.state === 'running') {
      label = pct > 0 ? `Working · ${pct}%` : 'Working';
      if (s.attempts > 1) label += ` · try ${s.attempts}`;
      running = STAGE_LABELS[stage];
      li.setAttribute('aria-current', 'step');
    } else {
      li.removeAttribute('aria-current');
    }
    (li.querySelector('.state') as HTMLElement).textContent = label;
    if (changed && v && (s.state === 'running' || s.state === 'done')) el('stage-announce').textContent = `${STAGE_LABELS[stage]}: ${s.state === 'done' ? 'done' : 'started'}`;
  }
  bar.setAttribute('aria-valuetext', running ? `${overall}%, ${running.toLowerCase()}` : `${overall}%`);
  page.eta = { value: v?.timeLeft ?? null, at: performance.now() };
  drawTimeLeft();
  if (!page.etaTimer) page.etaTimer = window.setInterval(drawTimeLeft, 1000);
}

function drawTimeLeft(): void {
  const eta = page.eta;
  el('time-left').textContent = eta ? describeTimeLeft(eta.value, (performance.now() - eta.at) / 1000) : '';
}

// ---------------------------------------------------------------- outcomes

function showNotCovered(request: AskRequest, alternatives: Alternative[]): void {
  el('not-covered-question').textContent = request.question;
  const list = el('alternatives');
  list.replaceChildren();
  for (const alt of alternatives.slice(0, 3)) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.topic = alt.id;
    const title = document.createElement('span');
    title.className = 'alt-title';
    title.textContent = alt.title;
    const book = document.createElement('span');
    book.className = 'alt-book';
    book.textContent = `from ${alt.book}`;
    button.append(title, book);
    button.setAttribute('aria-label', `Make a lesson on ${alt.title}, from ${alt.book}`);
    button.addEventListener('click', () => void submit({ question: alt.title, grade: request.grade, interest: request.interest, voice: request.voice, topicId: alt.id }));
    li.append(button);
    list.append(li);
  }
  el('alternatives-block').hidden = alternatives.length === 0;
  showOnly('not-covered');
  el('not-covered-title').focus();
}

function showFailed(v: View): void {
  const e = v.error;
  const where = e ? (STAGE_LABELS[e.stage] ?? e.stage) : 'The lesson';
  el('failed-message').textContent = e ? `${where} stopped (${e.code}): ${e.message}` : 'The lesson stopped.';
  el('failed-message').dataset.code = e?.code ?? '';
  const retry = el<HTMLButtonElement>('retry');
  retry.onclick = () => void submit({ question: v.request.question, grade: v.request.grade, interest: v.request.interest, voice: v.request.voice, ...(v.request.topicId ? { topicId: v.request.topicId } : {}) });
  showOnly('failed');
  el('failed-title').focus();
}

function showLesson(v: View): void {
  const r = v.result!;
  showOnly('lesson');
  el('lesson-title').textContent = r.script.title;
  el('lesson-hook').textContent = r.script.hook;
  el('lesson-cache').hidden = !v.cacheHit;
  document.title = `${r.script.title} · Vividly`;

  const video = el<HTMLVideoElement>('video');
  video.pause();
  video.replaceChildren();
  // The object store may be another origin (Cloud Storage): tracks then need CORS.
  const crossOrigin = new URL(r.video.url, location.href).origin !== location.origin;
  if (crossOrigin) video.crossOrigin = 'anonymous';
  else video.removeAttribute('crossorigin');
  video.poster = r.poster.url;
  video.src = r.video.url;
  const captions = document.createElement('track');
  captions.kind = 'captions';
  captions.label = 'English';
  captions.srclang = 'en';
  captions.src = r.captions.url;
  captions.default = true;
  video.append(captions);
  // Captions on by default (some browsers leave a default track hidden until asked).
  captions.track.mode = 'showing';
  const chaptersNav = el('chapters');
  chaptersNav.hidden = true;
  if (r.chapters) {
    const chapters = document.createElement('track');
    chapters.kind = 'chapters';
    chapters.label = 'Chapters';
    chapters.srclang = 'en';
    chapters.src = r.chapters.url;
    video.append(chapters);
    chapters.track.mode = 'hidden';
    chapters.addEventListener('load', () => buildChapters(video, chapters.track));
  }
  const onPlayable = () => {
    if (page.waitingPlayable) {
      performance.mark('vividly:playable');
      page.waitingPlayable = false;
    }
  };
  video.addEventListener('canplay', onPlayable, { once: true });
  video.load();
  captions.track.mode = 'showing';

  buildTranscript(video, r.transcript ?? []);

  const download = el<HTMLAnchorElement>('download');
  download.href = r.video.url;
  download.download = `${slug(r.script.title)}.mp4`;
  download.textContent = `Download the video (MP4, ${formatBytes(r.video.sizeBytes)})`;
  const dlCaptions = el<HTMLAnchorElement>('download-captions');
  dlCaptions.href = r.captions.url;
  dlCaptions.download = `${slug(r.script.title)}.vtt`;

  const sources = el('sources');
  sources.replaceChildren();
  for (const a of r.attribution) {
    const li = document.createElement('li');
    li.append(link(a.book, a.url), document.createTextNode(`, ${a.publisher}. Licence: `), link(a.license, a.licenseUrl), document.createTextNode('.'));
    sources.append(li);
  }
  el('lesson-title').focus();
}

function buildChapters(video: HTMLVideoElement, track: TextTrack): void {
  const cues = Array.from(track.cues ?? []) as VTTCue[];
  const list = el('chapter-list');
  list.replaceChildren();
  for (const cue of cues) {
    list.append(timeButton(video, cue.startTime, cue.text));
  }
  el('chapters').hidden = cues.length === 0;
  const mark = () => {
    const t = video.currentTime;
    for (const b of Array.from(list.querySelectorAll('button'))) {
      const i = cues.findIndex((c) => String(c.startTime) === b.dataset.start);
      b.setAttribute('aria-current', String(i >= 0 && cues[i].startTime <= t && t < cues[i].endTime));
    }
  };
  video.addEventListener('timeupdate', mark);
  mark();
}

/** A list item with a button showing a time and a text that seeks the video there (chapters, transcript). */
function timeButton(video: HTMLVideoElement, start: number, text: string): HTMLLIElement {
  const li = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.start = String(start);
  const at = document.createElement('span');
  at.className = 'at';
  at.textContent = formatClock(start);
  button.append(at, document.createTextNode(text));
  button.addEventListener('click', () => seek(video, start));
  li.append(button);
  return li;
}

function buildTranscript(video: HTMLVideoElement, sentences: { start: number; end: number; text: string }[]): void {
  page.transcriptCleanup?.();
  const list = el('transcript-list');
  list.replaceChildren();
  const items = sentences.map((s) => {
    const li = timeButton(video, s.start, s.text);
    list.append(li);
    return li;
  });
  el('transcript').hidden = sentences.length === 0;
  let current = -1;
  const highlight = () => {
    const i = sentenceAt(sentences, video.currentTime);
    if (i === current) return;
    if (current >= 0) items[current]?.removeAttribute('aria-current');
    current = i;
    const item = items[i];
    if (!item) return;
    item.setAttribute('aria-current', 'true');
    // Keep the sentence in view inside the transcript (not the page), unless the student is in the list.
    if (!list.contains(document.activeElement)) {
      const top = item.offsetTop - list.clientHeight / 3;
      if (item.offsetTop < list.scrollTop || item.offsetTop + item.offsetHeight > list.scrollTop + list.clientHeight) {
        list.scrollTo({ top: Math.max(0, top), behavior: reducedMotion() ? 'auto' : 'smooth' });
      }
    }
  };
  video.addEventListener('timeupdate', highlight);
  video.addEventListener('seeked', highlight);
  page.transcriptCleanup = () => {
    video.removeEventListener('timeupdate', highlight);
    video.removeEventListener('seeked', highlight);
  };
}

function seek(video: HTMLVideoElement, seconds: number): void {
  video.currentTime = seconds + 0.01;
  void video.play().catch(() => {
    // Autoplay may be refused; the position is set either way.
  });
}

function link(text: string, href: string): HTMLElement {
  let url: URL | null = null;
  try {
    url = new URL(href);
  } catch {
    // not a URL: text only
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    const span = document.createElement('span');
    span.textContent = text;
    return span;
  }
  const a = document.createElement('a');
  a.href = url.href;
  a.textContent = text;
  a.rel = 'noopener noreferrer';
  a.target = '_blank';
  return a;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'lesson'
  );
}

type Panel = 'ask' | 'progress' | 'not-covered' | 'failed' | 'lesson';
function showOnly(panel: Panel): void {
  for (const p of ['ask', 'progress', 'not-covered', 'failed', 'lesson'] as const) el(p).hidden = p !== panel;
  if (panel !== 'progress' && page.etaTimer) {
    clearInterval(page.etaTimer);
    page.etaTimer = undefined;
  }
  if (panel !== 'lesson') {
    const video = el<HTMLVideoElement>('video');
    if (!video.paused) video.pause();
    document.title = 'Vividly · ask a question, watch a lesson';
  }
}

// ---------------------------------------------------------------- recent lessons

async function ownerTag(): Promise<string | null> {
  if (!page.keysRequired) return 'open';
  const key = apiKey();
  if (!key) return null;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  return 'key_' + Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function remember(v: View): Promise<void> {
  const owner = await ownerTag();
  if (!owner || !v.id) return;
  const entry: RecentLesson = { id: v.id, question: v.request.question, title: v.result?.script.title, status: v.status, createdAt: v.createdAt, owner };
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(rememberLesson(parseRecent(localStorage.getItem(RECENT_KEY)), entry)));
  } catch {
    // Storage full or disabled: the list is a convenience.
  }
  await renderRecent();
}

async function renderRecent(): Promise<void> {
  const owner = await ownerTag();
  const lessons = owner ? lessonsOf(parseRecent(localStorage.getItem(RECENT_KEY)), owner) : [];
  const list = el('recent-list');
  list.replaceChildren();
  for (const l of lessons) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `#/lesson/${l.id}`;
    const title = document.createElement('span');
    title.className = 'r-title';
    title.textContent = l.title ?? l.question;
    const meta = document.createElement('span');
    meta.className = 'r-meta';
    const when = new Date(l.createdAt);
    const status = l.status === 'completed' ? 'ready' : l.status === 'failed' ? 'not made' : 'in progress';
    meta.textContent = `${status} · ${Number.isNaN(when.getTime()) ? '' : when.toLocaleString()}`;
    a.append(title, meta);
    li.append(a);
    list.append(li);
  }
  el('recent-empty').hidden = lessons.length > 0;
  el('recent-clear').hidden = lessons.length === 0;
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
