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

/** Test double: a provider whose first call fails (retryable), then delegates to the real engine. */
export class FailsOnceSpeechEngineDouble implements SpeechEngine {
  readonly provider: string;
  private failed = false;
  constructor(private readonly real: SpeechEngine) {
    this.provider = real.provider;
  }
  async speak(ssml: string, voice: Voice): Promise<SpokenUtterance> {
    if (!this.failed) {
      this.failed = true;
      throw new PipelineError('SPEECH_UNAVAILABLE', 'speech provider unavailable once (test double)', { retryable: true });
    }
    return this.real.speak(ssml, voice);
  }
}
