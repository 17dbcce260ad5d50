/**
 * JSON patch (RFC 6902), `application/json-patch+json`: a list of add/remove/replace/move/copy/
 * test operations addressed by JSON pointers (RFC 6901). `kubectl rollout undo` and kubectl's
 * managedFields migration send it.
 *
 * Errors follow the API server: a body that is not a list of operations is a 400 BadRequest; an
 * operation that cannot be applied is a 422 Invalid with upstream's message, "the server
 * rejected our request due to an error in our request", followed by which operation failed and
 * why (the cause carries the same detail, with the pointer as its field).
 */
import { BadRequest, Invalid } from '../../api/errors';
import { clone } from '../../util/json';
import { hasOwn, isPlainObject, jsonEqual, setOwn, type JsonObject } from './json-value';

export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

const rejected = 'the server rejected our request due to an error in our request';

/** Applies the operations in order to a copy of `document`; all apply or none. */
export function applyJsonPatch(document: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) {
    throw new BadRequest('a JSON patch must be a JSON array of operations');
  }
  let result = clone(document);
  operations.forEach((raw, index) => {
    const operation = parseOperation(raw, index);
    try {
      result = applyOperation(result, operation);
    } catch (error) {
      if (error instanceof OperationFailed) throw invalid(index, operation.op, operation.path, error.message);
      throw error;
    }
  });
  return result;
}

class OperationFailed extends Error {}

function invalid(index: number, op: string, path: string, detail: string): Invalid {
  const message = `${op} operation ${index} at "${path}" does not apply: ${detail}`;
  return new Invalid(`${rejected}: ${message}`, {
    causes: [{ reason: 'UnexpectedServerResponse', message, field: path }],
  });
}

function parseOperation(raw: unknown, index: number): JsonPatchOperation {
  if (!isPlainObject(raw)) throw invalid(index, 'unknown', '', 'an operation must be a JSON object');
  const op = raw.op;
  const path = raw.path;
  if (typeof op !== 'string') throw invalid(index, 'unknown', '', 'the operation has no "op" member');
  if (typeof path !== 'string') throw invalid(index, op, '', 'the operation has no "path" member');
  switch (op) {
    case 'add':
    case 'replace':
    case 'test':
      if (!hasOwn(raw, 'value')) throw invalid(index, op, path, 'the operation has no "value" member');
      return { op, path, value: raw.value };
    case 'remove':
      return { op, path };
    case 'move':
    case 'copy':
      if (typeof raw.from !== 'string') throw invalid(index, op, path, 'the operation has no "from" member');
      return { op, from: raw.from, path };
    default:
      throw invalid(index, op, path, `unknown operation "${op}"`);
  }
}

function applyOperation(document: unknown, operation: JsonPatchOperation): unknown {
  switch (operation.op) {
    case 'add':
      return add(document, parsePointer(operation.path), clone(operation.value));
    case 'remove':
      return remove(document, parsePointer(operation.path));
    case 'replace':
      return replace(document, parsePointer(operation.path), clone(operation.value));
    case 'move': {
      const from = parsePointer(operation.from);
      const to = parsePointer(operation.path);
      if (to.length > from.length && from.every((token, i) => token === to[i])) {
        throw new OperationFailed(`"${operation.from}" cannot be moved into one of its own children`);
      }
      const value = get(document, from);
      return add(remove(document, from), to, value);
    }
    case 'copy':
      return add(document, parsePointer(operation.path), clone(get(document, parsePointer(operation.from))));
    case 'test': {
      const actual = get(document, parsePointer(operation.path));
      if (!jsonEqual(actual, operation.value)) {
        throw new OperationFailed(`the value is ${JSON.stringify(actual)}, not ${JSON.stringify(operation.value)}`);
      }
      return document;
    }
  }
}

/** RFC 6901: "" is the whole document; each "/token" steps in, with ~1 for "/" and ~0 for "~". */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new OperationFailed(`"${pointer}" is not a JSON pointer (it must start with "/")`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) throw new OperationFailed(`"${pointer}" has a "~" not followed by 0 or 1`);
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

function get(document: unknown, tokens: string[]): unknown {
  let current = document;
  tokens.forEach((token, depth) => {
    if (Array.isArray(current)) {
      const index = arrayIndex(token, false);
      if (index >= current.length) throw missing(tokens, depth);
      current = current[index];
    } else if (isPlainObject(current) && hasOwn(current, token)) {
      current = current[token];
    } else {
      throw missing(tokens, depth);
    }
  });
  return current;
}

/** A copy of `document` with `value` set at `tokens`: inserted into arrays, set in objects. */
function add(document: unknown, tokens: string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  return updateParent(document, tokens, (parent, last) => {
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : arrayIndex(last, true);
      if (index > parent.length) throw new OperationFailed(`index ${index} is past the end of the array (length ${parent.length})`);
      return [...parent.slice(0, index), value, ...parent.slice(index)];
    }
    const copy = { ...parent };
    setOwn(copy, last, value);
    return copy;
  });
}

/** A copy of `document` with the existing member or item at `tokens` swapped for `value`. */
function replace(document: unknown, tokens: string[], value: unknown): unknown {
  get(document, tokens);
  if (tokens.length === 0) return value;
  return updateParent(document, tokens, (parent, last) => {
    if (Array.isArray(parent)) {
      const copy = [...parent];
      copy[arrayIndex(last, false)] = value;
      return copy;
    }
    const copy = { ...parent };
    setOwn(copy, last, value);
    return copy;
  });
}

/** A copy of `document` without the member or item at `tokens`, which must exist. */
function remove(document: unknown, tokens: string[]): unknown {
  if (tokens.length === 0) throw new OperationFailed('the whole document cannot be removed');
  get(document, tokens);
  return updateParent(document, tokens, (parent, last) => {
    if (Array.isArray(parent)) {
      const index = arrayIndex(last, false);
      return [...parent.slice(0, index), ...parent.slice(index + 1)];
    }
    const copy = { ...parent };
    delete copy[last];
    return copy;
  });
}

/** Copies the path down to the parent of the target and lets `change` produce the new parent. */
function updateParent(
  document: unknown,
  tokens: string[],
  change: (parent: unknown[] | JsonObject, last: string) => unknown,
): unknown {
  const step = (node: unknown, depth: number): unknown => {
    if (!Array.isArray(node) && !isPlainObject(node)) {
      throw new OperationFailed(`"${pointerOf(tokens.slice(0, depth))}" is not an object or an array`);
    }
    if (depth === tokens.length - 1) return change(node, tokens[depth]);
    const token = tokens[depth];
    if (Array.isArray(node)) {
      const index = arrayIndex(token, false);
      if (index >= node.length) throw missing(tokens, depth);
      const copy = [...node];
      copy[index] = step(node[index], depth + 1);
      return copy;
    }
    if (!hasOwn(node, token)) throw missing(tokens, depth);
    const copy = { ...node };
    setOwn(copy, token, step(node[token], depth + 1));
    return copy;
  };
  return step(document, 0);
}

function arrayIndex(token: string, forInsert: boolean): number {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) {
    throw new OperationFailed(`"${token}" is not an array index${forInsert ? ' (or "-")' : ''}`);
  }
  return Number(token);
}

function missing(tokens: string[], depth: number): OperationFailed {
  return new OperationFailed(`the document has no "${pointerOf(tokens.slice(0, depth + 1))}"`);
}

function pointerOf(tokens: string[]): string {
  return tokens.map((token) => '/' + token.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
