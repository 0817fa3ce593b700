import type { Book, Figure, Passage, Topic, TopicCandidate, TopicMaterials } from '../domain/library.js';
import type { Script } from '../domain/script.js';

/** Tokens a model call used (what Vertex AI bills). */
export interface ModelUsage {
  model: string;
  inputTokens: number;
  outputTokens: number;
}

/** Which provider answered, and why a preferred one did not. */
export interface ProviderOutcome {
  provider: string;
  /** Set when a preferred provider failed and this one answered instead: the failure's stable code. */
  fallbackFrom?: { provider: string; code: string; message: string };
  usage?: ModelUsage;
}

export interface TopicChoice extends ProviderOutcome {
  /** One of the candidates' topic ids, or null when none of them answers the question. */
  topicId: string | null;
  /** 0..1 */
  confidence: number;
}

/** NLU: choose among the topics retrieval found. Never invents a topic outside `candidates`. */
export interface TopicChooser {
  readonly provider: string;
  choose(question: string, candidates: TopicCandidate[]): Promise<TopicChoice>;
}

export interface ScriptRequest {
  topic: Topic;
  book: Book;
  /** The retrieved passages of the topic. */
  passages: Passage[];
  figures: Figure[];
  /** The topic's equations, worked examples, review questions and glossary. */
  materials: TopicMaterials;
  /** Untrusted student text. */
  question: string;
  grade: number;
  /** Untrusted student text. */
  interest: string;
}

export interface WrittenScript extends ProviderOutcome {
  /** Valid against ScriptSchema, citations only of the given passages, figures only of the given figures. */
  script: Script;
}

/** The script writer: title, hook, sections, key takeaways, citations, attribution. */
export interface ScriptWriter {
  readonly provider: string;
  write(request: ScriptRequest): Promise<WrittenScript>;
}
