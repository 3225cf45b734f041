// Checking a bundle the page saved, for the end-to-end tests: what Python's zipfile reads of it
// (every entry's CRC, every entry's SHA-256, manifest.json), and the checks every bundle must pass
// against the files that were picked.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';

/**
 * Every file under `dir`, as [path as the folder picker gives it (relative to `dir`'s parent),
 * absolute path], sorted.
 * @param {string} dir
 * @returns {Promise<[string, string][]>}
 */
export async function filesUnder(dir) {
  /** @type {[string, string][]} */
  const out = [];
  const walk = async (/** @type {string} */ d) => {
    for (const ent of await readdir(d, { withFileTypes: true })) {
      const p = join(d, ent.name);
      if (ent.isDirectory()) await walk(p);
      else out.push([relative(join(dir, '..'), p).split(sep).join('/'), p]);
    }
  };
  await walk(dir);
  return out.sort();
}

/**
 * What Python's zipfile says of a zip: the first entry whose CRC is wrong (`bad`, null when none),
 * every entry's SHA-256 by name, and the parsed manifest.json.
 * @param {string} path
 */
export async function readZip(path) {
  const script = `
import hashlib, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
hashes = {i.filename: hashlib.sha256(z.read(i.filename)).hexdigest() for i in z.infolist() if not i.is_dir()}
print(json.dumps({"bad": bad, "hashes": hashes, "manifest": json.loads(z.read("manifest.json"))}))
`;
  const { stdout } = await promisify(execFile)('python3', ['-c', script, path], { maxBuffer: 256 << 20 });
  return /** @type {{ bad: string | null, hashes: Record<string, string>, manifest: any }} */ (JSON.parse(stdout));
}

/** @param {string} path */
const fileSha256 = async (path) => createHash('sha256').update(await readFile(path)).digest('hex');

/**
 * The checks every saved bundle must pass: a sound zip, each copied input's bytes in it equal
 * to the manifest's SHA-256 and to the file on disk, each picked file in the manifest (with a
 * reason when not copied), the generated files there. Returns the manifest.
 * @param {string} zipPath
 * @param {[string, string][]} picked report path, file on disk
 */
export async function checkBundle(zipPath, picked) {
  const { bad, hashes, manifest } = await readZip(zipPath);
  assert.equal(bad, null, `zipfile.testzip() found a bad entry: ${bad}`);
  const inputs = new Map(manifest.inputs.map((/** @type {any} */ r) => [r.path, r]));
  for (const [path, file] of picked) {
    const r = inputs.get(path);
    assert.ok(r, `${path} is in the manifest (inputs: ${[...inputs.keys()].join(', ')})`);
    if (r.outcome === 'copied') {
      const want = await fileSha256(file);
      assert.equal(r.sha256, want, `manifest SHA-256 of ${path} is the file's`);
      // A picture written without its location metadata differs from the file given, and says so.
      if (r.written_sha256) assert.ok(r.metadata_removed?.length, `${path}: what was removed is listed`);
      else assert.equal(hashes[r.destination], want, `the zip's ${r.destination} is ${path}, byte for byte`);
    } else {
      assert.ok(r.reason, `${path} (${r.outcome}) has a reason`);
    }
  }
  for (const r of manifest.inputs) {
    if (r.outcome === 'copied') assert.equal(hashes[r.destination], r.written_sha256 ?? r.sha256, `entry ${r.destination}`);
  }
  for (const name of ['README.txt', 'report.html', 'report.json', 'manifest.csv', 'manifest.json']) {
    assert.ok(name in hashes, `${name} in the bundle`);
  }
  return manifest;
}
