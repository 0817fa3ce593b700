/**
 * Text embeddings on Vertex AI through `@google/genai` in Vertex mode. For text-embedding-005 (and
 * the other non-Gemini text models) `ai.models.embedContent` posts to
 * `.../publishers/google/models/{model}:predict` with `{ instances: [{ content, task_type }],
 * parameters: { outputDimensionality, autoTruncate } }` and reads `predictions[].embeddings.values`.
 *
 * Vertex AI limits one such call to 250 texts and 20,000 input tokens, each text to 2,048 tokens
 * (longer ones are truncated when autoTruncate is on); gemini-embedding-001 takes one text per call,
 * and so do the Gemini models served by :embedContent (the SDK refuses more). Batches respect all
 * of these, with the token count estimated from characters.
 */
import type { GoogleGenAI } from '@google/genai';
import { callVertex, outputInvalid, type VertexFailure } from '../cloud/call-vertex.js';
import { PipelineError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { Embedder } from '../ports/embeddings.port.js';

export const DEFAULT_EMBEDDING_MODEL = 'text-embedding-005';
export const DEFAULT_EMBEDDING_DIMENSIONS = 768;
export const EMBEDDING_FAILED = 'EMBEDDING_FAILED';

/** Vertex AI's limits of one text-embedding :predict call. */
export const VERTEX_EMBEDDING_LIMITS = { textsPerCall: 250, tokensPerCall: 20_000, tokensPerText: 2_048 } as const;
/**
 * Tokens of a text, estimated high: English runs at about 4 characters per token in these models,
 * this counts 3, so a batch stays under the 20,000-token limit without a round trip to countTokens.
 */
const CHARS_PER_TOKEN_ESTIMATE = 3;

export interface VertexEmbedderOptions {
  /** A client in Vertex mode. */
  ai: GoogleGenAI;
  /** Default text-embedding-005 (VIVIDLY_EMBEDDING_MODEL). */
  model?: string;
  /** Length of every vector (outputDimensionality); default 768. */
  dimensions?: number;
  maxAttempts: number;
  timeoutMs: number;
  /** Texts per call, at most 250 (and 1 for the models that take one). */
  batchSize?: number;
  /** Estimated tokens per call; default 18,000 (under the 20,000 limit). */
  maxTokensPerCall?: number;
  backoff?: { baseMs: number; maxMs: number };
  log?: Logger;
}

/** Models that take one text per call: gemini-embedding-001 on :predict, and the :embedContent models. */
function oneTextPerCall(model: string): boolean {
  return model === 'gemini-embedding-001' || (model.includes('gemini') && model !== 'gemini-embedding-001') || model.includes('maas');
}

export function estimateEmbeddingTokens(text: string): number {
  return Math.min(VERTEX_EMBEDDING_LIMITS.tokensPerText, Math.ceil(text.length / CHARS_PER_TOKEN_ESTIMATE) + 1);
}

/** Split texts into consecutive batches of at most `maxTexts` texts and `maxTokens` estimated tokens. */
export function planEmbeddingBatches(texts: string[], maxTexts: number, maxTokens: number): { start: number; end: number }[] {
  const batches: { start: number; end: number }[] = [];
  let start = 0;
  let tokens = 0;
  for (let i = 0; i < texts.length; i++) {
    const t = estimateEmbeddingTokens(texts[i]);
    if (i > start && (i - start >= maxTexts || tokens + t > maxTokens)) {
      batches.push({ start, end: i });
      start = i;
      tokens = 0;
    }
    tokens += t;
  }
  if (texts.length > start) batches.push({ start, end: texts.length });
  return batches;
}

export class VertexEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions: number;
  private readonly batchSize: number;
  private readonly maxTokensPerCall: number;

  constructor(private readonly opts: VertexEmbedderOptions) {
    this.model = opts.model ?? DEFAULT_EMBEDDING_MODEL;
    this.dimensions = opts.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
    const limit = oneTextPerCall(this.model) ? 1 : VERTEX_EMBEDDING_LIMITS.textsPerCall;
    this.batchSize = Math.max(1, Math.min(limit, opts.batchSize ?? limit));
    this.maxTokensPerCall = Math.min(VERTEX_EMBEDDING_LIMITS.tokensPerCall, opts.maxTokensPerCall ?? 18_000);
  }

  /**
   * One vector per text, in order. Throws EMBEDDING_FAILED (retryable when the cause was: quota,
   * outage, timeout) once a batch has spent its attempts, or at once for an empty text or a 400/403.
   */
  async embed(texts: string[], task: 'RETRIEVAL_DOCUMENT' | 'RETRIEVAL_QUERY'): Promise<number[][]> {
    const empty = texts.findIndex((t) => typeof t !== 'string' || !t.trim());
    if (empty >= 0) throw new PipelineError(EMBEDDING_FAILED, `text ${empty} is empty: nothing to embed`, { retryable: false });
    const out: number[][] = [];
    for (const { start, end } of planEmbeddingBatches(texts, this.batchSize, this.maxTokensPerCall)) {
      out.push(...(await this.embedBatch(texts.slice(start, end), task)));
    }
    return out;
  }

  private async embedBatch(texts: string[], task: string): Promise<number[][]> {
    const { ai, log } = this.opts;
    const result = await callVertex(
      async (signal) => {
        const response = await ai.models.embedContent({
          model: this.model,
          contents: texts,
          config: {
            taskType: task,
            outputDimensionality: this.dimensions,
            autoTruncate: true,
            abortSignal: signal,
            httpOptions: { timeout: this.opts.timeoutMs },
          },
        });
        const vectors = (response.embeddings ?? []).map((e) => e.values);
        if (vectors.length !== texts.length) throw outputInvalid(`${vectors.length} embeddings for ${texts.length} texts`);
        for (const v of vectors) {
          if (!Array.isArray(v) || v.length !== this.dimensions || !v.every((x) => Number.isFinite(x))) {
            throw outputInvalid(`an embedding is not ${this.dimensions} finite numbers`);
          }
        }
        return vectors as number[][];
      },
      {
        maxAttempts: this.opts.maxAttempts,
        timeoutMs: this.opts.timeoutMs,
        backoff: this.opts.backoff,
        onFailedAttempt: (f, attempt) => log?.debug('embedding attempt failed', { model: this.model, code: f.code, attempt, texts: texts.length }),
      },
    );
    if (result.ok) return result.value;
    throw embeddingFailed(result.failure, result.attempts, this.model);
  }
}

function embeddingFailed(failure: VertexFailure, attempts: number, model: string): PipelineError {
  return new PipelineError(EMBEDDING_FAILED, `embedding with ${model} failed after ${attempts} attempt(s): ${failure.message}`, {
    retryable: failure.retryable,
    details: { cause: failure.code, status: failure.status, attempts },
  });
}
