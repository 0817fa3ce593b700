import { ConfigError, type Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import type { ScriptWriter, TopicChooser } from '../ports/language-model.port.js';
import { ExtractiveScriptWriter, LexicalTopicChooser } from './local-language-model.js';

/**
 * The topic chooser and script writer VIVIDLY_LANGUAGE_MODEL asks for: the deterministic local
 * ones, or Gemini on Vertex AI falling back to them. The Vertex SDK is loaded on first use, so a
 * process that never writes a script never loads it.
 */
export function languageModelFor(config: Config, log: Logger): { chooser: TopicChooser; writer: ScriptWriter } {
  const chooser = new LexicalTopicChooser();
  const writer = new ExtractiveScriptWriter();
  if (config.languageModel !== 'gemini') return { chooser, writer };
  if (!config.project) throw new ConfigError('VIVIDLY_LANGUAGE_MODEL=gemini needs GOOGLE_CLOUD_PROJECT (the Vertex AI project)');
  let gemini: Promise<{ chooser: TopicChooser; writer: ScriptWriter }> | undefined;
  const load = () =>
    (gemini ??= (async () => {
      const [{ GoogleGenAI }, { GeminiScriptWriter, GeminiTopicChooser }] = await Promise.all([import('@google/genai'), import('./gemini-language-model.js')]);
      const ai = new GoogleGenAI({ vertexai: true, project: config.project, location: config.location });
      const common = { ai, model: config.geminiModel, maxAttempts: config.modelMaxAttempts, timeoutMs: config.modelTimeoutMs, log };
      return { chooser: new GeminiTopicChooser({ ...common, fallback: chooser }), writer: new GeminiScriptWriter({ ...common, fallback: writer }) };
    })());
  return {
    chooser: { provider: 'gemini', choose: async (question, candidates) => (await load()).chooser.choose(question, candidates) },
    writer: { provider: 'gemini', write: async (request) => (await load()).writer.write(request) },
  };
}
