// Bundle the rules editor's code editor (editor/src/view.mjs: CodeMirror 6 from npm) into
// one minified ES module, with esbuild's JavaScript API.
//
//   node editor/build.mjs OUT_FILE
//
// The output depends on the sources and package-lock.json only (no timestamp, no absolute
// path): the site build caches it under their hash (sitegen/editor_bundle.py). It starts
// with the licence notice of every npm package bundled (all MIT), made from their
// package.json and LICENSE files. Messages are French: they reach the site's build output.
// Exit codes: 0 built, 1 esbuild failed, 2 usage, 3 esbuild missing.

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(HERE);
const ENTRY = path.join(HERE, "src", "view.mjs");
export const TARGET = ["chrome110", "firefox115", "safari16"];

/** The npm packages the bundle holds code of (esbuild's metafile), sorted by name. */
async function bundledPackages(metafile) {
  const roots = new Set();
  const [output] = Object.values(metafile.outputs);
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    if (bytesInOutput === 0) continue;
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input.replaceAll("\\", "/"));
    if (match) roots.add(match[1]);
  }
  const packages = [];
  for (const name of [...roots].sort()) {
    const dir = path.join(ROOT, "node_modules", name);
    const meta = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8"));
    let copyright = "";
    for (const file of ["LICENSE", "LICENSE.md", "LICENSE.txt"]) {
      const text = await readFile(path.join(dir, file), "utf8").catch(() => "");
      const line = text.split("\n").find((l) => /^\s*copyright\b/i.test(l));
      if (line) {
        copyright = line.trim();
        break;
      }
    }
    packages.push({ name, version: meta.version, license: meta.license ?? "?", copyright });
  }
  return packages;
}

function notice(packages) {
  const lines = packages.map(({ name, version, license, copyright }) =>
    ` * ${name} ${version} (${license})${copyright ? ` ${copyright}` : ""}`
      .replaceAll("*/", "* /"));
  return ["/*! Éditeur des règles de Cagette.net : CodeMirror 6 et ses dépendances,",
          " * sous licence MIT (texte complet dans chaque paquet npm) :",
          ...lines, " */", ""].join("\n");
}

/** The bundle's text. */
export async function bundle(esbuild) {
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    platform: "browser",
    target: TARGET,
    charset: "utf8",
    legalComments: "inline",
    sourcemap: false,
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].text;
  return notice(await bundledPackages(result.metafile)) + code;
}

async function main(argv) {
  if (argv.length !== 1) {
    process.stderr.write("usage : node editor/build.mjs FICHIER_DE_SORTIE\n");
    return 2;
  }
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch (error) {
    process.stderr.write(`esbuild est introuvable (${error.code ?? error.message}) : `
      + "installez les paquets npm avec « make setup » (npm ci).\n");
    return 3;
  }
  let text;
  try {
    text = await bundle(esbuild);
  } catch (error) {
    const messages = error.errors
      ? (await esbuild.formatMessages(error.errors, { kind: "error" })).join("")
      : String(error.stack ?? error);
    process.stderr.write(`esbuild n'a pas pu assembler l'éditeur :\n${messages}`);
    return 1;
  }
  await writeFile(argv[0], text, "utf8");
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
