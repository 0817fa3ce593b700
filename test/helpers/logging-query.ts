/**
 * The subset of Cloud Logging's query language and of log-based metric extractors that
 * cdktf/monitoring.ts uses, evaluated against LogEntry objects, plus what Cloud Logging's agent
 * does with a structured JSON line written to stdout by a Cloud Run service.
 *
 * Strict on purpose: a construct outside the subset throws instead of being guessed at, so a
 * filter cannot pass this test while meaning something else in the cloud.
 *
 * Supported: `path = "string"`, `path = number`, `path > >= < <= number`, `path:*` (present),
 * AND, OR, NOT, parentheses. Precedence as in Cloud Logging: NOT, then OR, then AND
 * (`a AND b OR c` is `a AND (b OR c)`). Not supported (throw): implicit AND by juxtaposition,
 * bare text search, unquoted values, `!=`, `=~`, `!~`, `:"substring"`, `-` negation, functions.
 */

export type LogEntry = Record<string, unknown>;
export type Predicate = (entry: LogEntry) => boolean;

export class UnsupportedQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedQueryError';
  }
}

type Token =
  | { t: 'path'; v: string }
  | { t: 'string'; v: string }
  | { t: 'number'; v: number }
  | { t: 'op'; v: '=' | '>' | '>=' | '<' | '<=' | ':' }
  | { t: 'star' }
  | { t: 'and' }
  | { t: 'or' }
  | { t: 'not' }
  | { t: '(' }
  | { t: ')' };

const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      tokens.push({ t: c });
      i++;
      continue;
    }
    if (c === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= query.length) throw new UnsupportedQueryError(`unterminated string in ${query}`);
        const d = query[i++];
        if (d === '"') break;
        if (d === '\\') {
          if (i >= query.length) throw new UnsupportedQueryError(`dangling escape in ${query}`);
          v += query[i++];
        } else v += d;
      }
      tokens.push({ t: 'string', v });
      continue;
    }
    const two = query.slice(i, i + 2);
    if (two === '!=' || two === '=~' || two === '!~') throw new UnsupportedQueryError(`operator ${two} is outside the supported subset`);
    if (two === '>=' || two === '<=') {
      tokens.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if (c === '=' || c === '>' || c === '<' || c === ':') {
      tokens.push({ t: 'op', v: c });
      i++;
      continue;
    }
    if (c === '*') {
      tokens.push({ t: 'star' });
      i++;
      continue;
    }
    const number = /^-?\d+(?:\.\d+)?(?![A-Za-z_.])/.exec(query.slice(i));
    if (number) {
      tokens.push({ t: 'number', v: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(query.slice(i));
    if (!word) throw new UnsupportedQueryError(`unexpected ${JSON.stringify(c)} at ${i} in ${query}`);
    i += word[0].length;
    if (word[0] === 'AND') tokens.push({ t: 'and' });
    else if (word[0] === 'OR') tokens.push({ t: 'or' });
    else if (word[0] === 'NOT') tokens.push({ t: 'not' });
    else if (PATH.test(word[0])) tokens.push({ t: 'path', v: word[0] });
    else throw new UnsupportedQueryError(`not a field path: ${word[0]}`);
  }
  return tokens;
}

/** Compiles a Logging query into a predicate over LogEntry objects. Throws UnsupportedQueryError. */
export function compileQuery(query: string): Predicate {
  const tokens = tokenize(query);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];

  // conjunction := disjunction ('AND' disjunction)*
  const conjunction = (): Predicate => {
    const parts = [disjunction()];
    while (peek()?.t === 'and') {
      next();
      parts.push(disjunction());
    }
    const after = peek();
    if (after && after.t !== ')') throw new UnsupportedQueryError(`expected AND, OR or the end, found ${describe(after)} (implicit AND is outside the subset) in ${query}`);
    return parts.length === 1 ? parts[0] : (e) => parts.every((p) => p(e));
  };
  // disjunction := unary ('OR' unary)*
  const disjunction = (): Predicate => {
    const parts = [unary()];
    while (peek()?.t === 'or') {
      next();
      parts.push(unary());
    }
    return parts.length === 1 ? parts[0] : (e) => parts.some((p) => p(e));
  };
  // unary := 'NOT' unary | '(' conjunction ')' | comparison
  const unary = (): Predicate => {
    const token = next();
    if (!token) throw new UnsupportedQueryError(`query ends early: ${query}`);
    if (token.t === 'not') {
      const inner = unary();
      return (e) => !inner(e);
    }
    if (token.t === '(') {
      const inner = conjunction();
      if (next()?.t !== ')') throw new UnsupportedQueryError(`unbalanced parenthesis in ${query}`);
      return inner;
    }
    if (token.t !== 'path') throw new UnsupportedQueryError(`expected a field, found ${describe(token)} in ${query}`);
    return comparison(token.v);
  };
  const comparison = (path: string): Predicate => {
    const op = next();
    if (op?.t !== 'op') throw new UnsupportedQueryError(`field ${path} without a comparison (bare text search is outside the subset) in ${query}`);
    const value = next();
    if (!value) throw new UnsupportedQueryError(`comparison without a value in ${query}`);
    if (op.v === ':') {
      if (value.t !== 'star') throw new UnsupportedQueryError(`only ${path}:* (presence) is supported, not ${path}:${describe(value)}`);
      return (e) => {
        const v = lookup(e, path);
        return v !== undefined && v !== null;
      };
    }
    if (value.t !== 'string' && value.t !== 'number') throw new UnsupportedQueryError(`${path}${op.v} needs a quoted string or a number, found ${describe(value)}`);
    if (path === 'severity' || path === 'timestamp') throw new UnsupportedQueryError(`${path} has its own ordering in Cloud Logging; not in the subset`);
    if (op.v === '=') {
      return (e) => {
        const v = lookup(e, path);
        return value.t === 'string' ? typeof v === 'string' && v === value.v : typeof v === 'number' && v === value.v;
      };
    }
    if (value.t !== 'number') throw new UnsupportedQueryError(`${path}${op.v}${JSON.stringify(value.v)}: ordering is only supported against numbers`);
    const bound = value.v;
    const test = { '>': (a: number) => a > bound, '>=': (a: number) => a >= bound, '<': (a: number) => a < bound, '<=': (a: number) => a <= bound }[op.v];
    return (e) => {
      const v = lookup(e, path);
      return typeof v === 'number' && test(v);
    };
  };

  if (tokens.length === 0) throw new UnsupportedQueryError('empty query');
  const predicate = conjunction();
  if (pos !== tokens.length) throw new UnsupportedQueryError(`unexpected ${describe(tokens[pos])} in ${query}`);
  return predicate;
}

/** Compiles `EXTRACT(path)`; other extractors (REGEXP_EXTRACT) throw. */
export function compileExtractor(extractor: string): (entry: LogEntry) => unknown {
  const m = /^EXTRACT\(([^()\s]+)\)$/.exec(extractor.trim());
  if (!m || !PATH.test(m[1])) throw new UnsupportedQueryError(`extractor outside the subset: ${extractor}`);
  const path = m[1];
  return (e) => lookup(e, path);
}

/** A label's value as Cloud Logging records it: the extracted value as text, '' when absent. */
export function labelValue(extracted: unknown): string {
  if (extracted === undefined || extracted === null) return '';
  if (typeof extracted === 'object') throw new UnsupportedQueryError('a label extractor must select a scalar');
  return String(extracted);
}

function lookup(entry: LogEntry, path: string): unknown {
  let v: unknown = entry;
  for (const key of path.split('.')) {
    if (!v || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function describe(token: Token): string {
  return 'v' in token ? JSON.stringify(token.v) : token.t;
}

const SPECIAL = {
  severity: 'severity',
  time: 'time',
  labels: 'logging.googleapis.com/labels',
  trace: 'logging.googleapis.com/trace',
  spanId: 'logging.googleapis.com/spanId',
  traceSampled: 'logging.googleapis.com/trace_sampled',
};

/**
 * What Cloud Logging makes of one JSON line written to stdout by a Cloud Run service: the special
 * fields become LogEntry fields, everything else (including `message`) is `jsonPayload`, and the
 * resource is the service's revision.
 */
export function ingestCloudRunLine(line: Record<string, unknown>, serviceName: string, project = 'vividly-test'): LogEntry {
  const jsonPayload: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(line)) if (!(Object.values(SPECIAL) as string[]).includes(k)) jsonPayload[k] = v;
  const entry: LogEntry = {
    severity: line[SPECIAL.severity] ?? 'DEFAULT',
    timestamp: line[SPECIAL.time],
    resource: { type: 'cloud_run_revision', labels: { project_id: project, service_name: serviceName, revision_name: `${serviceName}-00001-abc`, location: 'us-central1', configuration_name: serviceName } },
    jsonPayload,
  };
  if (line[SPECIAL.labels]) entry.labels = line[SPECIAL.labels];
  if (line[SPECIAL.trace]) entry.trace = line[SPECIAL.trace];
  if (line[SPECIAL.spanId]) entry.spanId = line[SPECIAL.spanId];
  if (line[SPECIAL.traceSampled] !== undefined) entry.traceSampled = line[SPECIAL.traceSampled];
  return entry;
}
