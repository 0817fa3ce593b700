import assert from 'node:assert/strict';
import { createGeneration } from '../../functions/api/api.js';
import { Logger } from '../../shared/observability/logger.js';
import { createSpeechChain } from '../../shared/speech/speech-chain.js';
import { GeminiScriptWriter, GeminiTopicChooser } from '../../shared/writer/gemini-language-model.js';
import { ExtractiveScriptWriter, LexicalTopicChooser } from '../../shared/writer/local-language-model.js';
import { GoogleTtsApiDouble } from '../doubles/google-tts.double.js';
import { cannedScriptAnswer, VertexApiDouble, type GenerateCall, type GenerateReply } from '../doubles/vertex-api.double.js';
import { startTestPipeline, waitForTerminal, type TestPipeline } from '../helpers/embedded.js';

const MODEL = 'gemini-2.5-flash';

/** What Gemini answers, built from what the prompt offered: a candidate id, or a script (beats) citing the given passages. */
function modelAnswer(call: GenerateCall): GenerateReply {
  const payload = JSON.parse(call.prompt) as { candidates?: { id: string }[] };
  if (payload.candidates) return { kind: 'json', value: { topicId: payload.candidates[0]!.id, confidence: 0.93, reason: 'The section about this law.' }, usage: { prompt: 700, candidates: 40 } };
  return { kind: 'json', value: cannedScriptAnswer(call), usage: { prompt: 2500, candidates: 860 } };
}

/**
 * The cloud providers through the real stages: topic choice and script by Gemini (Vertex AI REST
 * double), narration by Google Cloud Text-to-Speech (REST double), then the real render and publish.
 */
describe('end to end with the cloud model and speech providers (wire-protocol doubles) @slow', function () {
  this.timeout(300_000);
  let vertex: VertexApiDouble;
  let tts: GoogleTtsApiDouble;
  let t: TestPipeline;

  before(async () => {
    [vertex, tts] = await Promise.all([VertexApiDouble.start(), GoogleTtsApiDouble.start()]);
  });
  after(async () => {
    await Promise.all([vertex?.close(), tts?.close()]);
  });
  afterEach(async () => {
    tts.reset();
    await t?.ports.close();
  });

  async function pipeline(maxAttempts = 2): Promise<TestPipeline> {
    t = await startTestPipeline({ env: { VIVIDLY_SPEECH: 'google,espeak', VIVIDLY_MODEL_MAX_ATTEMPTS: String(maxAttempts), VIVIDLY_MODEL_TIMEOUT_MS: '10000' } });
    const log = new Logger('silent');
    const common = { ai: vertex.client(), model: MODEL, maxAttempts, timeoutMs: 10_000, backoff: { baseMs: 1, maxMs: 4 }, log };
    t.ports.chooser = new GeminiTopicChooser({ ...common, fallback: new LexicalTopicChooser() });
    t.ports.writer = new GeminiScriptWriter({ ...common, fallback: new ExtractiveScriptWriter() });
    t.ports.speech = createSpeechChain(t.config, { log, google: { clientOptions: tts.clientOptions(), backoffMs: 5 } });
    return t;
  }

  it('completes with Gemini choosing and writing and Google speaking, and records them and the tokens', async () => {
    await pipeline();
    vertex.onGenerate = modelAnswer;
    const { body } = await createGeneration({ question: "Explain Newton's third law", grade: 10, interest: 'basketball' }, 'test', t.ports);
    const g = await waitForTerminal(t.ports, (body as { id: string }).id);
    assert.equal(g.status, 'completed', JSON.stringify(g.error));
    assert.equal(g.topic?.id, 'vividly-starter-physics/newtons-third-law');
    assert.equal(g.topic?.confidence, 0.93);
    assert.equal(g.script?.writer, `gemini:${MODEL}`);
    for (const s of g.script!.sections) for (const c of s.citations) assert.ok(g.passageIds!.includes(c), `${c} is a retrieved passage`);
    assert.equal(g.providers?.topic?.provider, 'gemini');
    assert.equal(g.providers?.script?.provider, 'gemini');
    assert.deepEqual(g.providers?.script?.usage, { model: MODEL, inputTokens: 2500, outputTokens: 860 });
    assert.deepEqual(g.providers?.speech, { provider: 'google' });
    assert.equal(g.narration?.provider, 'google');
    assert.ok(g.video && Math.abs(g.video.durationSeconds - g.narration!.durationSeconds) < 1);
  });

  it('falls back to the local writer and espeak-ng when Vertex AI is over quota and Text-to-Speech is down, and still makes the video', async () => {
    await pipeline();
    vertex.onGenerate = (call) => (JSON.parse(call.prompt).candidates ? modelAnswer(call) : { kind: 'status', status: 429, message: 'quota exceeded' });
    tts.always = '500';
    const { body } = await createGeneration({ question: "Explain Newton's third law", grade: 9, interest: 'skateboarding' }, 'test', t.ports);
    const g = await waitForTerminal(t.ports, (body as { id: string }).id);
    assert.equal(g.status, 'completed', JSON.stringify(g.error));
    assert.equal(g.script?.writer.startsWith('gemini'), false);
    assert.deepEqual(g.providers?.script?.fallbackFrom && { provider: g.providers.script.fallbackFrom.provider, code: g.providers.script.fallbackFrom.code }, { provider: 'gemini', code: 'MODEL_QUOTA' });
    assert.equal(g.providers?.speech?.provider, 'espeak-ng');
    assert.equal(g.providers?.speech?.fallbackFrom?.code, 'SPEECH_UNAVAILABLE');
    assert.ok(g.video && g.video.durationSeconds > 30);
  });
});
