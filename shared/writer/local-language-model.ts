import type { TopicCandidate } from '../domain/library.js';
import type { ScriptRequest, ScriptWriter, TopicChoice, TopicChooser, WrittenScript } from '../ports/language-model.port.js';
import { writeExtractiveScript } from './write-extractive-script.js';

/** The embedded topic chooser: the lexical ranking's best candidate, with its confidence. */
export class LexicalTopicChooser implements TopicChooser {
  readonly provider = 'lexical';
  async choose(_question: string, candidates: TopicCandidate[]): Promise<TopicChoice> {
    const best = candidates[0];
    return { provider: this.provider, topicId: best ? best.topic.id : null, confidence: best ? best.confidence : 0 };
  }
}

/** The embedded script writer: deterministic and extractive over the retrieved passages. */
export class ExtractiveScriptWriter implements ScriptWriter {
  readonly provider = 'extractive';
  async write(request: ScriptRequest): Promise<WrittenScript> {
    return { provider: this.provider, script: writeExtractiveScript(request) };
  }
}
