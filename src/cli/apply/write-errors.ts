/**
 * A server's refusal of a manifest, said against the manifest: a 422's causes and a strict
 * decoding error's unknown fields each name the file, the document, the line and the field.
 * Such errors end the command with exit code 4 (bad input); others keep their own meaning.
 */
import { ApiError, BadRequest, Conflict, Invalid, NotFound, Timeout, Unavailable } from '../../api/errors';
import { errorMessage } from '../../log';
import { CommandError, ExitCode } from '../exit';
import type { Manifest } from '../manifests';
import { lineOfField, parseFieldPath } from './field-lines';
import type { ManifestInput } from './input';

/** `deploy.yaml:12 (document 2)` with the line of `field` when it can be found. */
export function locate(manifest: Manifest, input: Pick<ManifestInput, 'text'>, field?: string): string {
  const { file, document } = manifest.source;
  let line = manifest.source.line;
  const text = input.text(file);
  if (field && text !== undefined) {
    try {
      line = lineOfField(text, manifest.source, parseFieldPath(field));
    } catch {
      // The file changed or no longer parses: the document's own line is still right enough.
    }
  }
  return `${file}:${line} (document ${document})`;
}

function label(manifest: Manifest): string {
  return `${manifest.object.kind} "${manifest.object.metadata.name ?? manifest.object.metadata.generateName ?? ''}"`;
}

/** A bad-input error for one field of a manifest. */
export function fieldError(manifest: Manifest, input: Pick<ManifestInput, 'text'>, field: string | undefined, message: string): CommandError {
  return new CommandError(`${locate(manifest, input, field)}: ${label(manifest)}: ${field ? `${field}: ` : ''}${message}`, ExitCode.badInput);
}

/** The error to show for a failed write of `manifest`. */
export function explainWriteError(e: unknown, manifest: Manifest, input: Pick<ManifestInput, 'text'>): Error {
  // The server itself is away: that is no fault of this manifest, and says so on its own.
  if (e instanceof Unavailable || e instanceof Timeout) return e;
  if (e instanceof Invalid && e.causes.length > 0) {
    const lines = e.causes.map((c) => `${locate(manifest, input, c.field || undefined)}: ${label(manifest)}: ${c.field ? `${c.field}: ` : ''}${c.message}`);
    return new CommandError(lines.join('\n'), ExitCode.badInput);
  }
  if (e instanceof BadRequest) {
    const unknown = [...e.message.matchAll(/unknown field "([^"]+)"/g)].map((m) => m[1]);
    if (unknown.length > 0) {
      return new CommandError(unknown.map((f) => `${locate(manifest, input, f)}: ${label(manifest)}: ${f}: unknown field`).join('\n'), ExitCode.badInput);
    }
    return new CommandError(`${locate(manifest, input)}: ${label(manifest)}: ${e.message}`, ExitCode.badInput);
  }
  if (e instanceof Invalid) return new CommandError(`${locate(manifest, input)}: ${label(manifest)}: ${e.message}`, ExitCode.badInput);
  if (e instanceof NotFound && e.details.kind === 'namespaces') {
    return new CommandError(`${locate(manifest, input, 'metadata.namespace')}: ${label(manifest)}: ${e.message}; create the namespace first or add its manifest`, ExitCode.badInput);
  }
  if (e instanceof Conflict && e.details.causes?.some((c) => c.reason === 'FieldManagerConflict')) {
    const fields = (e.details.causes ?? []).map((c) => `\n  ${c.field}: ${c.message}`).join('');
    return new CommandError(`${locate(manifest, input)}: ${label(manifest)}: apply conflicts with other field managers:${fields}\n  apply with --force-conflicts to take these fields over`, ExitCode.failed);
  }
  if (e instanceof ApiError) return new CommandError(`${locate(manifest, input)}: ${label(manifest)}: ${e.message}`, ExitCode.failed);
  return new CommandError(`${locate(manifest, input)}: ${label(manifest)}: ${errorMessage(e)}`, ExitCode.failed);
}
