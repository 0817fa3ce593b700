import type { Voice } from '../../shared/domain/generation.js';
import type { Script } from '../../shared/domain/script.js';
import { PipelineError } from '../../shared/errors.js';
import type { NarrationOptions, Narrator, ScriptNarration, SpeechEngine, SpokenUtterance } from '../../shared/ports/speech.port.js';
import { SpeechChain } from '../../shared/speech/speech-chain.js';

/** Test double: a speech provider that is always down (retryable, like a 503). */
export class AlwaysFailingSpeechEngineDouble implements SpeechEngine {
  readonly provider = 'always-failing-double';
  calls = 0;
  async speak(_ssml: string, _voice: Voice): Promise<SpokenUtterance> {
    this.calls++;
    throw new PipelineError('SPEECH_UNAVAILABLE', 'speech provider unavailable (test double)', { retryable: true });
  }
}

/** The speech port with one provider, always down: every narration fails with that provider's error. */
export function alwaysFailingSpeech(engine: SpeechEngine = new AlwaysFailingSpeechEngineDouble()): Narrator {
  return new SpeechChain([engine]);
}

/** Test double of the speech port: the first narration fails (retryable), then the real one speaks. */
export class FailsOnceNarratorDouble implements Narrator {
  readonly provider: string;
  private failed = false;
  constructor(private readonly real: Narrator) {
    this.provider = real.provider;
  }
  async narrate(script: Script, voice: Voice, opts?: NarrationOptions): Promise<ScriptNarration> {
    if (!this.failed) {
      this.failed = true;
      throw new PipelineError('SPEECH_UNAVAILABLE', 'speech provider unavailable once (test double)', { retryable: true });
    }
    return this.real.narrate(script, voice, opts);
  }
}
