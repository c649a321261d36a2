import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

let build: string | undefined;

/**
 * What renders a stored statement page: a hash of every source file under `src/` and of the
 * locked dependencies (package-lock.json). Stored pages of another build are never served, so a
 * change of code, text or layout can never leave an old page in front of readers; they are
 * rendered again as they are read, or all at once by `rcenter pages`.
 */
export function pageBuild(): string {
  if (build) return build;
  const hash = createHash('sha256');
  const files = [...listFiles(path.join(ROOT, 'src')), path.join(ROOT, 'package-lock.json')].sort();
  for (const file of files) {
    hash.update(path.relative(ROOT, file));
    hash.update('\0');
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  build = hash.digest('base64url').slice(0, 22);
  return build;
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(file) : entry.isFile() ? [file] : [];
  });
}
