import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Voice } from '../domain/generation.js';
import { ErrorCodes, PipelineError } from '../errors.js';
import type { SpeechEngine, SpokenUtterance } from '../ports/speech.port.js';
import { escapeXml } from './xml-text.js';
import { parseWav } from './wav.js';

/**
 * Local text-to-speech: espeak-ng compiled to WebAssembly, from the npm package `text2wav`.
 *
 * The package's own entry point (`text2wav(text, opts)`) is not used, because for every call it
 * (1) recompiles the 850 kB wasm and prints "wasm streaming compile failed ... falling back to
 * ArrayBuffer instantiation" on stderr, (2) adds an `uncaughtException` and an `unhandledRejection`
 * listener to `process` that are never removed (a leak, a MaxListenersExceededWarning after ten
 * calls, and Node's crash-on-unhandled-rejection replaced by the wasm's abort), and (3) calls
 * `process.exit(1)` when espeak-ng fails (an unknown voice kills the whole server). Instead this
 * adapter drives the same Emscripten module (`text2wav/lib/espeak-ng.js`) with its own Module
 * object: the wasm is compiled once and instantiated per call, stdout/stderr are captured,
 * `quit` throws instead of exiting, and the process listeners added by each run are removed.
 */

const require = createRequire(import.meta.url);

// The compiler's lib (ES2023, no DOM) has no WebAssembly types: the little used here.
type WasmModule = object;
type WasmInstance = object;
type WasmImports = object;
const WebAssembly = (
  globalThis as unknown as {
    WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule>; instantiate(module: WasmModule, imports: WasmImports): Promise<WasmInstance> };
  }
).WebAssembly;

interface EmscriptenModule {
  arguments: string[];
  print: (line: string) => void;
  printErr: (line: string) => void;
  quit: (status: number, toThrow?: unknown) => never;
  onAbort: (what: unknown) => void;
  instantiateWasm: (imports: WasmImports, receive: (instance: WasmInstance, module: WasmModule) => void) => object;
  postRun: () => void;
  /** Set by the package's post-js. */
  FS?: { readFile(path: string): Uint8Array; unmount(path: string): void };
}
type EspeakFactory = (module: EmscriptenModule) => unknown;

const ESPEAK_JS = require.resolve('text2wav/lib/espeak-ng.js');
const ESPEAK_WASM = path.join(path.dirname(ESPEAK_JS), 'espeak-ng.wasm');
/** The voice data folder the package mounts at /usr/share inside the wasm file system. */
export const ESPEAK_DATA_DIR = path.join(path.dirname(ESPEAK_JS), '..', 'espeak-ng-data');
const OUT_FILE = '/vividly-out.wav';

let factory: EspeakFactory | undefined;
let compiled: Promise<WasmModule> | undefined;

function loadWasm(): Promise<WasmModule> {
  if (!compiled) {
    compiled = readFile(ESPEAK_WASM).then((bytes) => WebAssembly.compile(bytes));
    compiled.catch(() => {
      compiled = undefined; // let a later call try again
    });
  }
  factory ??= require(ESPEAK_JS) as EspeakFactory;
  return compiled;
}

/** Calls run one at a time: a run mutates process listeners and is CPU-bound anyway. */
let queue: Promise<unknown> = Promise.resolve();
function serialize<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

const NOISE = [/^exit\(\d+\) called, but EXIT_RUNTIME is not set/, /^wasm streaming compile failed/, /^falling back to ArrayBuffer instantiation/];

export interface EspeakRun {
  /** The WAV file espeak-ng wrote (`-w`), if any. */
  wav: Buffer | undefined;
  stdout: string[];
  stderr: string[];
  exitStatus: number | undefined;
}

/**
 * Run the espeak-ng command line once, inside a fresh wasm instance, with `args` (the output file
 * option `-w` is added). Never writes to the console, never exits the process.
 */
export function runEspeak(args: string[]): Promise<EspeakRun> {
  return serialize(async () => {
    const wasmModule = await loadWasm();
    const make = factory!;
    const stdout: string[] = [];
    const stderr: string[] = [];
    let exitStatus: number | undefined;
    return new Promise<EspeakRun>((resolve, reject) => {
      let settled = false;
      const fail = (err: unknown): void => {
        if (settled) return;
        settled = true;
        reject(err instanceof Error ? err : new Error(String(err)));
      };
      const module: EmscriptenModule = {
        arguments: ['-w', OUT_FILE, ...args],
        print: (line) => stdout.push(String(line)),
        printErr: (line) => {
          const s = String(line);
          if (!NOISE.some((re) => re.test(s))) stderr.push(s);
        },
        quit: (status, toThrow) => {
          exitStatus = status;
          throw toThrow ?? new Error(`espeak-ng exited with status ${status}`);
        },
        onAbort: (what) => fail(new Error(`espeak-ng aborted: ${String(what)}`)),
        // Instantiate from the cached compiled module. Asynchronously on purpose: the package's
        // post-js mounts the voice data right after the factory returns, and main() must run after.
        instantiateWasm: (imports, receive) => {
          WebAssembly.instantiate(wasmModule, imports).then(
            (instance) => {
              try {
                receive(instance, wasmModule); // runs main() and postRun synchronously
              } catch (err) {
                fail(err);
                return;
              }
              fail(new Error(`espeak-ng did not finish${stderr.length ? `: ${stderr.join('; ')}` : ''}`));
            },
            (err: unknown) => fail(err),
          );
          return {};
        },
        postRun: () => {
          if (settled) return;
          let wav: Buffer | undefined;
          try {
            wav = Buffer.from(module.FS!.readFile(OUT_FILE));
          } catch {
            wav = undefined;
          }
          try {
            module.FS?.unmount('/usr/share');
          } catch {
            // already unmounted
          }
          settled = true;
          resolve({ wav, stdout, stderr, exitStatus });
        },
      };
      const before = { exception: process.listeners('uncaughtException'), rejection: process.listeners('unhandledRejection') };
      try {
        make(module);
      } catch (err) {
        fail(err);
      } finally {
        for (const l of process.listeners('uncaughtException')) if (!before.exception.includes(l)) process.removeListener('uncaughtException', l);
        for (const l of process.listeners('unhandledRejection')) if (!before.rejection.includes(l)) process.removeListener('unhandledRejection', l);
      }
    });
  });
}

/** How one of our voices is rendered by espeak-ng. */
export interface EspeakVoiceSettings {
  /** espeak-ng voice with variant, `<language>+<variant>` (variants: espeak-ng-data/voices/!v). */
  voice: string;
  /** Words per minute (espeak-ng `-s`, default 175). */
  wordsPerMinute: number;
  /** Base pitch 0-99 (`-p`, default 50). */
  pitch: number;
  /** Amplitude 0-200 (`-a`, default 100). */
  amplitude: number;
  /** Extra pause between words in units of 10 ms (`-g`). */
  wordGap?: number;
}

export const ESPEAK_VOICES: Record<Voice, EspeakVoiceSettings> = {
  // Warm, engaging (default): female variant 3, a little slower than espeak's default 175 wpm.
  female_professional: { voice: 'en-us+f3', wordsPerMinute: 160, pitch: 50, amplitude: 100 },
  // Authoritative, clear: male variant 3, slightly lower and slower.
  male_professional: { voice: 'en-us+m3', wordsPerMinute: 155, pitch: 42, amplitude: 100 },
  // Dynamic, enthusiastic: male variant 7 (wider pitch range), faster and higher.
  male_energetic: { voice: 'en-us+m7', wordsPerMinute: 175, pitch: 62, amplitude: 100 },
};

function checkSettings(name: string, s: EspeakVoiceSettings): void {
  const [language, variant] = s.voice.split('+');
  if (!language || !/^[a-z]{2,3}(-[a-z0-9]+)*$/i.test(language)) throw new Error(`espeak voice ${name}: bad language in "${s.voice}"`);
  // espeak-ng silently falls back to the plain voice for an unknown variant: catch typos here.
  if (variant !== undefined && (!/^[\w -]+$/.test(variant) || !existsSync(path.join(ESPEAK_DATA_DIR, 'voices', '!v', variant)))) {
    throw new Error(`espeak voice ${name}: unknown variant "${variant}"`);
  }
  const int = (v: number, lo: number, hi: number, what: string): void => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`espeak voice ${name}: ${what} must be an integer in [${lo}, ${hi}]`);
  };
  int(s.wordsPerMinute, 80, 450, 'wordsPerMinute');
  int(s.pitch, 0, 99, 'pitch');
  int(s.amplitude, 0, 200, 'amplitude');
  if (s.wordGap !== undefined) int(s.wordGap, 0, 100, 'wordGap');
}

export interface EspeakSpeechEngineOptions {
  /** Override the settings of some voices. */
  voices?: Partial<Record<Voice, EspeakVoiceSettings>>;
  /** Where espeak-ng's messages on a successful run go (default: console.warn with a prefix). */
  onWarning?: (message: string) => void;
}

export class EspeakSpeechEngine implements SpeechEngine {
  readonly provider = 'espeak-ng';
  private readonly voices: Record<Voice, EspeakVoiceSettings>;
  private readonly onWarning: (message: string) => void;

  constructor(opts: EspeakSpeechEngineOptions = {}) {
    this.voices = { ...ESPEAK_VOICES, ...opts.voices };
    for (const [name, s] of Object.entries(this.voices)) checkSettings(name, s);
    this.onWarning = opts.onWarning ?? ((m) => console.warn(`[espeak-ng] ${m}`));
  }

  /** Compile the wasm now rather than on the first `speak`. */
  async warmUp(): Promise<void> {
    await loadWasm();
  }

  settings(voice: Voice): EspeakVoiceSettings {
    const s = this.voices[voice];
    if (!s) throw new PipelineError(ErrorCodes.invalidRequest, `unknown voice "${String(voice)}"`);
    return s;
  }

  /**
   * Speak one SSML document (`<speak>...</speak>`; text that is not SSML is escaped and wrapped).
   * Honoured by espeak-ng: prosody rate (keywords and %), prosody pitch (st, %, keywords), break
   * time, emphasis; mark is accepted and ignored.
   */
  async speak(ssml: string, voice: Voice): Promise<SpokenUtterance> {
    const s = this.settings(voice);
    const trimmed = ssml.trim();
    // The document is a command-line argument: it must not start with "-" (it always starts with "<").
    const doc = /^(<\?xml[^>]*\?>\s*)?<speak[\s>/]/.test(trimmed) ? trimmed : `<speak>${escapeXml(trimmed)}</speak>`;
    const args = ['-v', s.voice, '-s', String(s.wordsPerMinute), '-p', String(s.pitch), '-a', String(s.amplitude)];
    if (s.wordGap !== undefined) args.push('-g', String(s.wordGap));
    args.push('-m', doc);

    let run: EspeakRun;
    try {
      run = await runEspeak(args);
    } catch (err) {
      throw new PipelineError(ErrorCodes.speechFailed, `espeak-ng failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (!run.wav || (run.exitStatus !== undefined && run.exitStatus !== 0)) {
      const why = run.stderr.join('; ') || (run.exitStatus !== undefined ? `exit status ${run.exitStatus}` : 'no output');
      throw new PipelineError(ErrorCodes.speechFailed, `espeak-ng produced no audio: ${why}`);
    }
    for (const line of run.stderr) this.onWarning(line);
    let parsed;
    try {
      parsed = parseWav(run.wav);
    } catch (err) {
      throw new PipelineError(ErrorCodes.speechFailed, `espeak-ng output unreadable: ${(err as Error).message}`, { cause: err });
    }
    if (parsed.channels !== 1) throw new PipelineError(ErrorCodes.speechFailed, `espeak-ng produced ${parsed.channels} channels, mono expected`);
    return { pcm: Buffer.from(parsed.pcm), sampleRateHz: parsed.sampleRateHz };
  }
}
