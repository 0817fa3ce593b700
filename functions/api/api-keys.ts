import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The API keys of VIVIDLY_API_KEYS and the one check of a presented key, used by the api function
 * (`/v1/...`) and by the local server's operations endpoints (`/metrics`, `/ops/data`).
 *
 * Constant time: both sides are hashed (SHA-256) to 32 bytes, so `timingSafeEqual` compares equal
 * lengths whatever the keys' lengths, and the presented key is compared with every configured key
 * without stopping at a match, so the time taken says neither how much of a key was right nor
 * which key matched.
 */
export class ApiKeys {
  private readonly digests: readonly Buffer[];

  /** `list`: comma-separated keys (blanks around and between them are ignored). */
  constructor(list: string) {
    this.digests = list
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean)
      .map(digest);
  }

  /** No keys configured: the API is open. */
  get open(): boolean {
    return this.digests.length === 0;
  }

  /** Whether `given` is one of the keys (false when none are configured). */
  matches(given: string | undefined): boolean {
    if (given === undefined || given === '') return false;
    const presented = digest(given);
    let matched = false;
    for (const key of this.digests) matched = timingSafeEqual(key, presented) || matched;
    return matched;
  }

  /**
   * The key an `Authorization: Bearer <key>` header carries when it is one of ours, else undefined.
   * Also undefined when the API is open: callers check `open` first.
   */
  keyOf(authorization: string | undefined): string | undefined {
    const given = bearerToken(authorization);
    return given !== undefined && this.matches(given) ? given : undefined;
  }
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), trimmed. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1].trim();
  return token || undefined;
}

/** Who owns the generations made with `key`: a stable id that does not reveal the key. */
export function ownerOfKey(key: string): string {
  return 'key_' + createHash('sha256').update(key).digest('hex').slice(0, 16);
}

let cached: { list: string; keys: ApiKeys } | undefined;

/** The ApiKeys of a configuration value, hashed once per distinct value. */
export function apiKeysOf(list: string): ApiKeys {
  if (cached?.list !== list) cached = { list, keys: new ApiKeys(list) };
  return cached.keys;
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
