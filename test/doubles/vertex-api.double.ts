/**
 * VertexApiDouble: a loopback HTTP server that speaks the part of the Vertex AI REST protocol that
 * `@google/genai` uses in Vertex mode, so the real SDK (URL building, auth headers, request and
 * response mapping, error types) runs unchanged in tests:
 *
 *   POST /{v1|v1beta1}/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent
 *     body { contents, systemInstruction, generationConfig: { responseMimeType, responseSchema, ... } }
 *     -> { candidates: [{ content: { role, parts: [{ text }] }, finishReason }], usageMetadata, modelVersion }
 *   POST .../models/{model}:predict   (text embeddings, e.g. text-embedding-005)
 *     body { instances: [{ content, task_type }], parameters: { outputDimensionality, autoTruncate } }
 *     -> { predictions: [{ embeddings: { values, statistics: { truncated, token_count } } }], metadata }
 *   errors: status code + { error: { code, message, status } } (what the SDK turns into ApiError)
 *
 * Replies are scripted per call (valid JSON, malformed text, any status, a hang, a SAFETY finish,
 * a blocked prompt); embeddings are deterministic hashed bags of words, so nearest neighbours follow
 * shared words. The double enforces Vertex AI's embedding limits (250 texts, 20,000 tokens a call).
 *
 * `cannedScriptAnswer` is what a well-behaved Gemini writes for a script request (beats of every
 * kind, citing only what the prompt offered); tests start from it and break what they test.
 *
 * Auth: the SDK is given `googleAuthOptions.authClient`, a StaticTokenAuthClientDouble that hands
 * out a fixed bearer token, so google-auth-library never looks for credentials or calls a token
 * endpoint; the double answers 401 to any request without that token. (The cloud uses Application
 * Default Credentials instead: the function's service account through the metadata server.)
 */
import { GoogleGenAI, type GoogleGenAIOptions } from '@google/genai';
import http from 'node:http';
import { listenOnLoopback } from './loopback.js';

export const DOUBLE_PROJECT = 'vividly-test';
export const DOUBLE_LOCATION = 'us-central1';
export const DOUBLE_TOKEN = 'test-access-token';

export type GenerateReply =
  /** A well-formed answer whose text is JSON.stringify(value). */
  | { kind: 'json'; value: unknown; usage?: { prompt?: number; candidates?: number; thoughts?: number } }
  /** A well-formed answer with this text (e.g. malformed JSON). */
  | { kind: 'text'; text: string; finishReason?: string }
  /** An HTTP error with Vertex AI's error body. */
  | { kind: 'status'; status: number; message?: string }
  /** Never answers (until the client gives up or the double closes). */
  | { kind: 'hang' }
  /** finishReason SAFETY, no content. */
  | { kind: 'safety' }
  /** promptFeedback.blockReason, no candidates. */
  | { kind: 'blocked'; reason?: string };

export type PredictReply = { kind: 'vectors' } | { kind: 'status'; status: number; message?: string } | { kind: 'hang' };

export interface GenerateCall {
  apiVersion: string;
  project: string;
  location: string;
  model: string;
  body: VertexGenerateBody;
  /** The user turns' text. */
  prompt: string;
  systemInstruction: string;
  reply: GenerateReply['kind'];
  usage?: { promptTokenCount: number; candidatesTokenCount: number; thoughtsTokenCount?: number };
}

export interface PredictCall {
  model: string;
  instances: { content: string; task_type?: string }[];
  parameters: { outputDimensionality?: number; autoTruncate?: boolean };
  status: number;
}

export interface VertexGenerateBody {
  contents?: { role?: string; parts?: { text?: string }[] }[];
  systemInstruction?: { parts?: { text?: string }[] };
  generationConfig?: Record<string, unknown> & { responseMimeType?: string; responseSchema?: Record<string, unknown> };
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const PATH = /^\/(v1|v1beta1)\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/google\/models\/([^/:]+):(generateContent|predict)$/;

/** A beat as the model writes it: `kind` and any of the kinds' fields (the response schema has no oneOf). */
export interface CannedBeat {
  kind: string;
  say: string;
  text?: string;
  term?: string;
  definition?: string;
  math?: { format: string; source: string };
  label?: string;
  highlight?: string[];
  figureId?: string;
  caption?: string;
  title?: string;
  step?: number;
  icon?: string;
}

export interface CannedScript {
  title: string;
  hook: string;
  sections: { heading: string; beats: CannedBeat[]; citations: string[] }[];
  keyTakeaways: string[];
  check: { question: string; answer: string };
}

/**
 * A script answer in the response schema's shape for the prompt of `call` (Newton's third law, a
 * basketball fan): three sections of point, term, equation (TeX), example, figure (when one was
 * offered) and two interest beats, citing the offered passages in turn; about 330 narrated words.
 * `fillerBeats` point beats of about 17 words each are added to every section (to test the length limits).
 */
export function cannedScriptAnswer(call: GenerateCall, opts: { cite?: (ids: string[], i: number) => string[]; figureId?: string; fillerBeats?: number } = {}): CannedScript {
  const payload = JSON.parse(call.prompt) as { sources: { passages: { id: string }[]; figures: { id: string }[] } };
  const ids = payload.sources.passages.map((p) => p.id);
  const figureId = opts.figureId ?? payload.sources.figures[0]?.id;
  const cite = (i: number) => (opts.cite ? opts.cite(ids, i) : [ids[i % ids.length]]);
  const filler = (i: number): CannedBeat[] =>
    Array.from({ length: opts.fillerBeats ?? 0 }, (_, n) => ({
      kind: 'point',
      say: `Forces between two objects always come as a matched pair, and pair number ${i * 100 + n} is no exception to the rule.`,
      text: `Matched pair ${i * 100 + n}`,
    }));
  return {
    title: "Newton's Third Law, Through Basketball",
    hook: 'When you jump for a rebound, the floor pushes you up as hard as you push it down. Why does the floor push back at all?',
    sections: [
      {
        heading: 'Forces come in pairs',
        beats: [
          {
            kind: 'point',
            say: "Newton's third law says that forces always come in pairs. Whenever one object pushes on a second object, the second object pushes back on the first.",
            text: 'Forces always come in pairs',
          },
          {
            kind: 'equation',
            say: 'In symbols, the force that object A puts on object B equals minus the force that object B puts on object A.',
            math: { format: 'tex', source: '\\vec{F}_{AB} = -\\vec{F}_{BA}' },
            label: "Newton's third law",
            highlight: ['F'],
          },
          {
            kind: 'point',
            say: 'The two forces have the same size and point in opposite directions, and they act on two different objects.',
            text: 'Same size, opposite directions',
          },
          {
            kind: 'interest',
            say: 'Think about a jump shot. Your legs push down on the court, and the court pushes up on you just as hard, which is what lifts you toward the hoop.',
            text: 'Your legs push the court down; the court pushes you up',
            icon: 'sports',
          },
        ],
        citations: cite(0),
      },
      {
        heading: 'Action and reaction',
        beats: [
          {
            kind: 'term',
            say: 'The two forces of such a pair are called an action-reaction pair. Neither force comes first; they happen at the same moment.',
            term: 'Action-reaction pair',
            definition: 'Two forces of equal size and opposite direction that two objects exert on each other',
          },
          {
            kind: 'point',
            say: 'The forces of an action-reaction pair never cancel out, because each one acts on a different object.',
            text: 'The pair never cancels out',
          },
          ...(figureId
            ? [{ kind: 'figure', say: 'Two skaters who push on each other both roll backwards, each pushed by the other.', figureId, caption: 'Two skaters pushing each other apart' }]
            : []),
          {
            kind: 'interest',
            say: 'A chest pass works the same way. As your hands push the basketball forward, the ball pushes back on your hands with a force of the same size.',
            text: 'A chest pass: you push the ball, the ball pushes your hands back',
            icon: 'sports',
          },
          ...filler(1),
        ],
        citations: cite(1),
      },
      {
        heading: 'Working it through',
        beats: [
          {
            kind: 'example',
            say: 'Here is a worked example. A swimmer pushes backward on the water with a force of two hundred newtons.',
            title: 'A swimmer pushing the water',
            step: 0,
            text: 'A swimmer pushes back on the water with 200 N',
          },
          {
            kind: 'example',
            say: "By Newton's third law, the water pushes forward on the swimmer with a force of two hundred newtons, the same size in the opposite direction.",
            title: 'A swimmer pushing the water',
            step: 1,
            text: 'The water pushes the swimmer forward with 200 N',
            math: { format: 'tex', source: 'F_{\\text{water}} = 200\\,\\text{N}' },
          },
          {
            kind: 'point',
            say: 'The push of the water is what moves the swimmer forward through the pool.',
            text: 'The water moves the swimmer forward',
          },
          ...filler(2),
        ],
        citations: cite(2),
      },
    ].map((s, i) => (i === 0 ? { ...s, beats: [...s.beats, ...filler(0)] } : s)),
    keyTakeaways: ['Every force has an equal and opposite partner', 'The two forces act on different objects'],
    check: {
      question: 'When you push on a wall, what does the wall do?',
      answer: 'The wall pushes back on you with a force of the same size in the opposite direction.',
    },
  };
}

/** The double's token estimate: about 4 characters per token, as the real tokenizers run on English. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * A google-auth-library AuthClient stand-in: the only method the SDK calls is getRequestHeaders.
 * Test double: never use outside tests.
 */
export class StaticTokenAuthClientDouble {
  requests = 0;
  constructor(private readonly token = DOUBLE_TOKEN) {}
  async getRequestHeaders(): Promise<Headers> {
    this.requests++;
    return new Headers({ authorization: `Bearer ${this.token}` });
  }
  async getAccessToken(): Promise<{ token: string }> {
    return { token: this.token };
  }
}

const STOPWORDS = new Set(
  'a an and are as at be by can do does for from how in is it its of on or that the this to was what when where which who why will with you your explain'.split(' '),
);

/** A deterministic embedding: a bag of words hashed into `dims` buckets (FNV-1a), L2-normalised. */
export function hashedBagOfWords(text: string, dims: number): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().match(/\p{L}[\p{L}\p{N}']*/gu) ?? []) {
    if (STOPWORDS.has(word) || word.length < 3) continue;
    let h = 0x811c9dc5;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193) >>> 0;
    v[h % dims] += 1;
  }
  const norm = Math.hypot(...v);
  if (norm === 0) {
    v[0] = 1;
    return v;
  }
  return v.map((x) => x / norm);
}

export class VertexApiDouble {
  readonly generateCalls: GenerateCall[] = [];
  readonly predictCalls: PredictCall[] = [];
  /** Requests turned away for a missing or wrong bearer token. */
  unauthorized = 0;
  /** Answers a generateContent call when no scripted reply is queued. Default: 500 (a test must say what it wants). */
  onGenerate: (call: GenerateCall) => GenerateReply = () => ({ kind: 'status', status: 500, message: 'no reply scripted' });
  private readonly generateQueue: GenerateReply[] = [];
  private readonly predictQueue: PredictReply[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  static async start(opts: { token?: string } = {}): Promise<VertexApiDouble> {
    const { server, baseUrl } = await listenOnLoopback();
    const double = new VertexApiDouble(server, baseUrl, opts.token ?? DOUBLE_TOKEN);
    server.on('request', (req, res) => void double.handle(req, res));
    return double;
  }

  /** A real GoogleGenAI client in Vertex mode pointed at this double, authenticated with the static token. */
  client(overrides: Partial<GoogleGenAIOptions> = {}): GoogleGenAI {
    return new GoogleGenAI({
      vertexai: true,
      project: DOUBLE_PROJECT,
      location: DOUBLE_LOCATION,
      httpOptions: { baseUrl: this.baseUrl },
      googleAuthOptions: { authClient: new StaticTokenAuthClientDouble(this.token) as never },
      ...overrides,
    });
  }

  /** Replies for the next generateContent calls, in order; then onGenerate answers. */
  queueGenerate(...replies: GenerateReply[]): void {
    this.generateQueue.push(...replies);
  }

  /** Replies for the next :predict calls, in order; then vectors. */
  queuePredict(...replies: PredictReply[]): void {
    this.predictQueue.push(...replies);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', this.baseUrl);
    const m = PATH.exec(url.pathname);
    if (req.method !== 'POST' || !m) return sendError(res, 404, `no such method: ${req.method} ${url.pathname}`);
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      this.unauthorized++;
      return sendError(res, 401, 'Request had invalid authentication credentials.');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return sendError(res, 400, 'Invalid JSON payload received.');
    }
    const [, apiVersion, project, location, model, method] = m;
    if (method === 'generateContent') return this.generate(res, { apiVersion, project, location, model }, body as VertexGenerateBody);
    return this.predict(res, model, body as { instances?: PredictCall['instances']; parameters?: PredictCall['parameters'] });
  }

  private generate(res: http.ServerResponse, where: Pick<GenerateCall, 'apiVersion' | 'project' | 'location' | 'model'>, body: VertexGenerateBody): void {
    const textOf = (parts?: { text?: string }[]) => (parts ?? []).map((p) => p.text ?? '').join('');
    const call: GenerateCall = {
      ...where,
      body,
      prompt: (body.contents ?? []).filter((c) => c.role !== 'model').map((c) => textOf(c.parts)).join('\n'),
      systemInstruction: textOf(body.systemInstruction?.parts),
      reply: 'status',
    };
    const reply = this.generateQueue.shift() ?? this.onGenerate(call);
    call.reply = reply.kind;
    this.generateCalls.push(call);
    const promptTokenCount = estimateTokens(call.systemInstruction + call.prompt);
    switch (reply.kind) {
      case 'hang':
        return;
      case 'status':
        return sendError(res, reply.status, reply.message ?? STATUS_NAMES[reply.status] ?? 'error');
      case 'blocked':
        call.usage = { promptTokenCount, candidatesTokenCount: 0 };
        return sendJson(res, 200, {
          promptFeedback: { blockReason: reply.reason ?? 'SAFETY', blockReasonMessage: 'The prompt was blocked.' },
          usageMetadata: { promptTokenCount, totalTokenCount: promptTokenCount },
          modelVersion: where.model,
        });
      case 'safety':
        call.usage = { promptTokenCount, candidatesTokenCount: 0 };
        return sendJson(res, 200, {
          candidates: [
            {
              content: { role: 'model' },
              finishReason: 'SAFETY',
              safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }],
            },
          ],
          usageMetadata: { promptTokenCount, totalTokenCount: promptTokenCount },
          modelVersion: where.model,
        });
      case 'json':
      case 'text': {
        const text = reply.kind === 'json' ? JSON.stringify(reply.value) : reply.text;
        const usage = {
          promptTokenCount: reply.kind === 'json' && reply.usage?.prompt !== undefined ? reply.usage.prompt : promptTokenCount,
          candidatesTokenCount: reply.kind === 'json' && reply.usage?.candidates !== undefined ? reply.usage.candidates : estimateTokens(text),
          ...(reply.kind === 'json' && reply.usage?.thoughts !== undefined ? { thoughtsTokenCount: reply.usage.thoughts } : {}),
        };
        call.usage = usage;
        return sendJson(res, 200, {
          candidates: [
            {
              content: { role: 'model', parts: [{ text }] },
              finishReason: reply.kind === 'text' && reply.finishReason ? reply.finishReason : 'STOP',
              avgLogprobs: -0.1,
            },
          ],
          usageMetadata: { ...usage, totalTokenCount: usage.promptTokenCount + usage.candidatesTokenCount + (usage.thoughtsTokenCount ?? 0), trafficType: 'ON_DEMAND' },
          modelVersion: where.model,
          createTime: new Date().toISOString(),
          responseId: `double-${this.generateCalls.length}`,
        });
      }
    }
  }

  private predict(res: http.ServerResponse, model: string, body: { instances?: PredictCall['instances']; parameters?: PredictCall['parameters'] }): void {
    const instances = Array.isArray(body.instances) ? body.instances : [];
    const parameters = body.parameters ?? {};
    const call: PredictCall = { model, instances, parameters, status: 200 };
    this.predictCalls.push(call);
    const reply = this.predictQueue.shift() ?? { kind: 'vectors' };
    if (reply.kind === 'hang') return;
    if (reply.kind === 'status') {
      call.status = reply.status;
      return sendError(res, reply.status, reply.message ?? STATUS_NAMES[reply.status] ?? 'error');
    }
    // Vertex AI's limits of one text-embedding call.
    const tokens = instances.reduce((n, i) => n + Math.min(2048, estimateTokens(String(i.content ?? ''))), 0);
    const invalid =
      !instances.length
        ? 'instances must not be empty'
        : instances.length > 250
          ? `The number of instances (${instances.length}) exceeds the limit of 250`
          : tokens > 20_000
            ? `Unable to submit request because the input token count is ${tokens} but the model supports up to 20000`
            : instances.some((i) => typeof i.content !== 'string' || !i.content)
              ? 'every instance needs a non-empty content'
              : null;
    if (invalid) {
      call.status = 400;
      return sendError(res, 400, invalid);
    }
    const dims = parameters.outputDimensionality ?? 768;
    return sendJson(res, 200, {
      predictions: instances.map((i) => ({
        embeddings: { values: hashedBagOfWords(i.content, dims), statistics: { truncated: false, token_count: estimateTokens(i.content) } },
      })),
      metadata: { billableCharacterCount: instances.reduce((n, i) => n + i.content.length, 0) },
    });
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendError(res: http.ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: { code: status, message, status: STATUS_NAMES[status] ?? 'UNKNOWN' } });
}
