/**
 * The manifests of `-f` arguments, with the text of each file kept so that an error the server
 * reports for a field can be traced back to its line (stdin can be read only once).
 */
import fs from 'node:fs';
import { Manifest, readManifests } from '../manifests';
import { CommandError, ExitCode } from '../exit';

export interface ManifestInput {
  manifests: Manifest[];
  /** The text of a file the manifests came from (`<stdin>` included). */
  text(file: string): string | undefined;
}

export function readInput(files: string[] | undefined, recursive: boolean, readStdin: () => string = () => fs.readFileSync(0, 'utf8')): ManifestInput {
  if (!files || files.length === 0) throw new CommandError('say which manifests with -f FILE, -f DIRECTORY or -f - (stdin)', ExitCode.badInput);
  const texts = new Map<string, string>();
  const manifests = readManifests(files, {
    recursive,
    stdin: () => {
      const text = readStdin();
      texts.set('<stdin>', text);
      return text;
    },
  });
  return {
    manifests,
    text(file) {
      if (!texts.has(file)) {
        try {
          texts.set(file, fs.readFileSync(file, 'utf8'));
        } catch {
          return undefined;
        }
      }
      return texts.get(file);
    },
  };
}
