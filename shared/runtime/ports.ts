import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import type { ContentLibrary } from '../ports/content-library.port.js';
import type { EventBus } from '../ports/event-bus.port.js';
import type { ObjectStore } from '../ports/object-store.port.js';
import type { ScriptWriter, TopicChooser } from '../ports/language-model.port.js';
import type { Narrator } from '../ports/speech.port.js';
import type { StateStore } from '../ports/state-store.port.js';

/** Everything a stage may touch. Stages depend on these ports, never on an SDK. */
export interface Ports {
  config: Config;
  state: StateStore;
  bus: EventBus;
  objects: ObjectStore;
  library: ContentLibrary;
  /**
   * Speech: narrates a whole script by one voice. The composition roots give a SpeechChain
   * (createSpeechChain: the providers of VIVIDLY_SPEECH, ending in espeak-ng), which falls back
   * provider by provider for the whole script.
   */
  speech: Narrator;
  /** NLU: chooses among the library's candidate topics. */
  chooser: TopicChooser;
  writer: ScriptWriter;
  log: Logger;
  now: () => Date;
}

let current: Ports | undefined;
let factory: (() => Promise<Ports>) | undefined;
let creating: Promise<Ports> | undefined;

/** The entry points' ports: set by the process's composition root (embedded or cloud). */
export async function getPorts(): Promise<Ports> {
  if (current) return current;
  if (!factory) throw new Error('no ports configured: call usePorts() or usePortsFactory() at start-up');
  creating ??= factory().then((p) => (current = p));
  return creating;
}

export function usePorts(ports: Ports): void {
  current = ports;
  creating = undefined;
}

export function usePortsFactory(make: () => Promise<Ports>): void {
  factory = make;
}
