import type { Voice } from '../../shared/domain/generation.js';
import { PipelineError } from '../../shared/errors.js';
import type { SpeechEngine, SpokenUtterance } from '../../shared/ports/speech.port.js';

/** Test double: a speech provider that is always down (retryable, like a 503). */
export class AlwaysFailingSpeechEngineDouble implements SpeechEngine {
  readonly provider = 'always-failing-double';
  calls = 0;
  async speak(_ssml: string, _voice: Voice): Promise<SpokenUtterance> {
    this.calls++;
    throw new PipelineError('SPEECH_UNAVAILABLE', 'speech provider unavailable (test double)', { retryable: true });
  }
}
